using System.Globalization;
using Trilobite.Vision.Imaging;

namespace Trilobite.Vision.ViolaJones;

/// <summary>
/// The work of <c>trilobite faces &lt;image&gt; [--cascade FILE] [--scale-factor 1.1] [--min-neighbors 3] [--out boxed.png]</c>:
/// load the image (PNG/JPEG), convert to grey as OpenCV does, detect with the given cascade (default: the shipped
/// haarcascade_frontalface_default.xml), print one box per line as "x y w h" (or say on stderr that none was found), and with --out write the image with
/// the boxes drawn in red. The CLI only parses arguments and calls <see cref="Run"/>.
/// </summary>
public static class FacesCommand
{
    /// <returns>0 on success, 1 when an input cannot be read or an argument is invalid (the reason goes to stderr as "error: …").</returns>
    public static int Run(string imagePath, string? cascadePath, double scaleFactor, int minNeighbors, string? outPath,
        TextWriter stdout, TextWriter stderr)
    {
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);
        try
        {
            if (!(scaleFactor > 1) || !double.IsFinite(scaleFactor))
                throw new ArgumentException($"--scale-factor must be greater than 1, got {scaleFactor.ToString(CultureInfo.InvariantCulture)}.");
            if (minNeighbors < 0)
                throw new ArgumentException($"--min-neighbors must be >= 0, got {minNeighbors}.");
            if (string.IsNullOrEmpty(imagePath))
                throw new ArgumentException("an image path is required.");

            var cascade = cascadePath is null ? HaarCascade.FrontalFaceDefault() : HaarCascade.Load(cascadePath);
            var image = ImageFile.Load(imagePath);
            var boxes = new CascadeDetector(cascade).DetectMultiScale(image.ToGray(),
                new DetectionOptions { ScaleFactor = scaleFactor, MinNeighbors = minNeighbors });
            foreach (var b in boxes.OrderBy(b => b.Y).ThenBy(b => b.X))
                stdout.WriteLine(b.ToString());
            // stdout stays one box per line for scripts; the person reading gets told why it is empty.
            if (boxes.Count == 0)
                stderr.WriteLine($"No face found in {imagePath} ({image.Width}×{image.Height}); smaller or turned faces may need --min-neighbors 1 or --scale-factor 1.05.");

            if (outPath is not null)
            {
                int thickness = Math.Max(1, Math.Min(image.Width, image.Height) / 200);
                foreach (var b in boxes)
                    image.DrawRectangle(b.X, b.Y, b.Width, b.Height, 255, 0, 0, thickness);
                ImageFile.SavePng(image, outPath);
            }
            return 0;
        }
        catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException or FormatException
                                      or NotSupportedException or ArgumentException)
        {
            stderr.WriteLine($"error: {ErrorText.Of(e)}");
            return 1;
        }
    }
}
