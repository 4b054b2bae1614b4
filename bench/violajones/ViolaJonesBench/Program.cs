// Viola–Jones speed workload, driven by bench/violajones/timing.py (which times OpenCV in the same process run,
// interleaved). Usage: ViolaJonesBench <shared-data-dir>
// Prints "ready <sha256 of the grey image> <boxes>" once, then answers each "run" line on stdin with
// "<milliseconds> <box count>", until "quit" or end of input.
using System.Diagnostics;
using System.Security.Cryptography;
using Trilobite.Vision.Imaging;
using Trilobite.Vision.ViolaJones;

string data = args.Length > 0 ? args[0] : "../shared/data";
var grey = Composite640x480(data);
var detector = new CascadeDetector(HaarCascade.Load(Path.Combine(data, "haarcascades", "haarcascade_frontalface_default.xml")));
var options = new DetectionOptions { ScaleFactor = 1.1, MinNeighbors = 3 };
var boxes = detector.DetectMultiScale(grey, options);
Console.WriteLine($"ready {Convert.ToHexString(SHA256.HashData(grey.Pixels)).ToLowerInvariant()} {string.Join(";", boxes.OrderBy(b => b.X).Select(b => $"{b.X},{b.Y},{b.Width},{b.Height}"))}");
string? line;
while ((line = Console.ReadLine()) is not null && line != "quit")
{
    var clock = Stopwatch.StartNew();
    int n = detector.DetectMultiScale(grey, options).Count;
    Console.WriteLine($"{clock.Elapsed.TotalMilliseconds:F3} {n}");
}

// 640 x 480 grey: astronaut.png rows 0-479 (512 columns) beside camera.png columns 0-127 rows 0-479. Both PNGs
// (lossless), grey as OpenCV's cvtColor, so OpenCV and we time the very same pixels.
static GrayImage Composite640x480(string data)
{
    var a = ImageFile.Load(Path.Combine(data, "images", "astronaut.png")).ToGray();
    var c = ImageFile.Load(Path.Combine(data, "images", "camera.png")).ToGray();
    var dst = new GrayImage(640, 480);
    for (int y = 0; y < 480; y++)
    {
        a.Pixels.AsSpan(y * a.Width, 512).CopyTo(dst.Pixels.AsSpan(y * 640, 512));
        c.Pixels.AsSpan(y * c.Width, 128).CopyTo(dst.Pixels.AsSpan(y * 640 + 512, 128));
    }
    return dst;
}
