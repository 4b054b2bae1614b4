using System.IO.Compression;

namespace Trilobite.Packaging.Tests;

/// <summary>
/// The packages as a user gets them: <c>dotnet pack</c> of the libraries and the tool (into a scratch folder, so the
/// checkout's bin/ and obj/ are untouched), then <c>dotnet tool install</c> of <c>trilobite</c> from that folder into a
/// temporary tool path, and the installed command run.
/// </summary>
public sealed class ToolTests
{
    private static readonly string[] Libraries = ["Trilobite.Kernels", "Trilobite.Core", "Trilobite.Vision", "Trilobite.Plotting", "Trilobite.Onnx", "Trilobite.Keras", "Trilobite.Serving"];

    [Fact]
    public void PackedLibrariesCarryDocsLicenceReadmeAndSymbolsAndTheToolInstallsAndRuns()
    {
        string scratch = Processes.TempDir("pack"), feed = Path.Combine(scratch, "nupkg"), tools = Path.Combine(scratch, "tools");
        string root = Processes.RepositoryRoot();
        try
        {
            var limit = TimeSpan.FromMinutes(8);
            // Only the src/ projects are packable; a fresh package cache keeps an older trilobite 0.1.0 from being reused.
            var env = new Dictionary<string, string> { ["NUGET_PACKAGES"] = Path.Combine(scratch, "packages") };
            var pack = Processes.Run("dotnet", ["pack", Path.Combine(root, "Trilobite.slnx"), "-c", "Release", "-o", feed,
                "--artifacts-path", Path.Combine(scratch, "artifacts"), "-p:ContinuousIntegrationBuild=true"], root, limit);
            Assert.True(pack.Code == 0, pack.Out + pack.Err);
            Assert.DoesNotContain("warning", pack.Out, StringComparison.OrdinalIgnoreCase);

            foreach (string id in Libraries)
            {
                string nupkg = Path.Combine(feed, $"{id}.0.1.0.nupkg");
                using var zip = ZipFile.OpenRead(nupkg);
                var names = zip.Entries.Select(e => e.FullName).ToHashSet();
                string assembly = id == "Trilobite.Core" ? "Trilobite" : id;
                Assert.Contains($"lib/net10.0/{assembly}.dll", names);
                Assert.Contains($"lib/net10.0/{assembly}.xml", names);     // XML docs: IntelliSense for users
                Assert.Contains("README.md", names);
                Assert.Contains("LICENSE", names);
                Assert.True(File.Exists(Path.ChangeExtension(nupkg, ".snupkg")), $"{id}: no symbols package");
                string nuspec = new StreamReader(zip.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal)).Open()).ReadToEnd();
                Assert.Contains("<license type=\"expression\">MIT</license>", nuspec);
                Assert.Contains("<readme>README.md</readme>", nuspec);
            }
            Assert.False(File.Exists(Path.Combine(feed, "Trilobite.Playground.0.1.0.nupkg")), "the playground ships inside the tool");

            var install = Processes.Run("dotnet", ["tool", "install", "trilobite", "--tool-path", tools, "--add-source", feed, "--version", "0.1.0"], scratch, limit, env);
            Assert.True(install.Code == 0, install.Out + install.Err);
            var summary = Processes.Run(Path.Combine(tools, "trilobite"), ["summary", "lenet"], scratch, TimeSpan.FromMinutes(1));
            Assert.True(summary.Code == 0, summary.Err);
            Assert.Contains("Total params: 1,199,882", summary.Out);
            var help = Processes.Run(Path.Combine(tools, "trilobite"), ["--help"], scratch, TimeSpan.FromMinutes(1));
            foreach (string command in new[] { "train", "evaluate", "predict", "export", "import", "serve", "plot", "show", "faces", "playground" })
                Assert.Contains(command, help.Out);
        }
        finally { Directory.Delete(scratch, recursive: true); }
    }
}
