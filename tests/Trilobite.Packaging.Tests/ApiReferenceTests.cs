namespace Trilobite.Packaging.Tests;

/// <summary>The generated API reference (docfx, a dotnet tool in .config/dotnet-tools.json) builds without a warning.</summary>
public sealed class ApiReferenceTests
{
    [Fact]
    public void DocfxBuildsTheReferenceOfEveryLibraryWithoutWarnings()
    {
        string root = Processes.RepositoryRoot(), site = Processes.TempDir("api");
        try
        {
            var limit = TimeSpan.FromMinutes(5);
            var restore = Processes.Run("dotnet", ["tool", "restore"], root, limit);
            Assert.True(restore.Code == 0, restore.Out + restore.Err);
            var build = Processes.Run("dotnet", ["docfx", "docs/api/docfx.json", "--output", site, "--warningsAsErrors"], root, limit);
            Assert.True(build.Code == 0, build.Out + build.Err);
            Assert.Contains("0 warning(s)", build.Out);
            foreach (string page in new[] { "Trilobite.Layers.Conv2D.html", "Trilobite.Model.html", "Trilobite.Kernels.Gemm.html",
                         "Trilobite.Vision.Data.ImageFolder.html", "Trilobite.Plotting.HistoryChart.html", "Trilobite.Onnx.OnnxImporter.html" })
                Assert.True(File.Exists(Path.Combine(site, "_site", "reference", page)), $"no page {page}");
            string conv = File.ReadAllText(Path.Combine(site, "_site", "reference", "Trilobite.Layers.Conv2D.html"));
            Assert.Contains("Number of kernels: the output channels.", conv);    // the XML docs made it into the page
        }
        finally { Directory.Delete(site, recursive: true); }
    }
}
