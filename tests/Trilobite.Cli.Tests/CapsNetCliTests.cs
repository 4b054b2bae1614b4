using static Trilobite.Cli.Tests.CliRunner;

namespace Trilobite.Cli.Tests;

/// <summary><c>train capsnet</c> with its recipe, <c>evaluate</c> of the saved capsule network and <c>show capsules</c>.</summary>
public class CapsNetCliTests
{
    [Fact]
    public void TrainsWithThePapersRecipeEvaluatesAndDrawsTheReconstructions()
    {
        string dir = TempDir();
        try
        {
            string data = SmallMnistFolder(dir, 64, 32), model = Path.Combine(dir, "capsnet.trilo"), picture = Path.Combine(dir, "capsules.png");
            var trained = Run("train", "capsnet", "--data", data, "--epochs", "2", "--verbose", "0", "--save", model);
            Assert.True(trained.Code == 0, trained.Err);
            Assert.Contains("Training capsnet: 2 epochs of batch 32, Adam at 0.001 with exponential decay (×0.9 per epoch), random shifts of up to 2 px.", trained.Out);
            Assert.Matches(@"Test accuracy: 0\.\d{4}", trained.Out);

            var evaluated = Run("evaluate", model, "--data", data);
            Assert.True(evaluated.Code == 0, evaluated.Err);
            Assert.Contains("accuracy", evaluated.Out);

            var drawn = Run("show", "capsules", model, "--data", data, "--out", picture);
            Assert.True(drawn.Code == 0, drawn.Err);
            Assert.Contains("Wrote", drawn.Out);
            Assert.True(new FileInfo(picture).Length > 5_000);

            var resumed = Run("train", "capsnet", "--data", data, "--epochs", "3", "--verbose", "0", "--resume", model);
            Assert.True(resumed.Code == 0, resumed.Err);
            Assert.Contains("Resuming", resumed.Out);
        }
        finally { Directory.Delete(dir, true); }
    }

    [Fact]
    public void ShowCapsulesRefusesAModelThatHasNone()
    {
        string dir = TempDir();
        try
        {
            string data = SmallMnistFolder(dir, 32, 16), model = Path.Combine(dir, "lenet.trilo");
            Assert.Equal(0, Run("train", "lenet", "--data", data, "--epochs", "1", "--verbose", "0", "--save", model).Code);
            var (code, _, err) = Run("show", "capsules", model, "--data", data, "--out", Path.Combine(dir, "none.png"));
            Assert.NotEqual(0, code);
            Assert.Contains("is not a capsule network", err);
        }
        finally { Directory.Delete(dir, true); }
    }
}
