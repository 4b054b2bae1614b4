using Trilobite.Vision.Imaging;
using Trilobite.Vision.ViolaJones;

namespace Trilobite.Vision.Tests.ViolaJones;

public sealed class FacesCommandTests
{
    [SharedDataFact]
    public void PrintsOneBoxPerLineAndDrawsThem()
    {
        var outPath = Path.Combine(Path.GetTempPath(), $"trilobite-faces-{Environment.ProcessId}.png");
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int code = FacesCommand.Run(SharedData.Path("images", "astronaut.png"), null, 1.1, 3, outPath, stdout, stderr);
        Assert.Equal(0, code);
        Assert.Equal("177 66 95 95" + Environment.NewLine, stdout.ToString());
        Assert.Equal("", stderr.ToString());
        var boxed = ImageFile.Load(outPath);
        File.Delete(outPath);
        Assert.Equal((512, 512), (boxed.Width, boxed.Height));
        int i = 3 * (66 * 512 + 200);   // top edge of the box is red
        Assert.Equal((255, 0, 0), (boxed.Pixels[i], boxed.Pixels[i + 1], boxed.Pixels[i + 2]));
    }

    [Fact]
    public void BadInputsGiveExitCodeOneAndAMessage()
    {
        var stderr = new StringWriter();
        Assert.Equal(1, FacesCommand.Run("/nonexistent/x.png", null, 1.1, 3, null, TextWriter.Null, stderr));
        Assert.Contains("/nonexistent/x.png", stderr.ToString());

        var notImage = Path.GetTempFileName();
        File.WriteAllText(notImage, "hello");
        stderr = new StringWriter();
        Assert.Equal(1, FacesCommand.Run(notImage, null, 1.1, 3, null, TextWriter.Null, stderr));
        Assert.Contains("cannot decode", stderr.ToString());
        stderr = new StringWriter();
        Assert.Equal(1, FacesCommand.Run(notImage, notImage, 1.1, 3, null, TextWriter.Null, stderr));
        Assert.Contains("not well-formed XML", stderr.ToString());
        File.Delete(notImage);

        stderr = new StringWriter();
        Assert.Equal(1, FacesCommand.Run("x.png", null, 1.0, 3, null, TextWriter.Null, stderr));
        Assert.Contains("--scale-factor", stderr.ToString());
    }
}
