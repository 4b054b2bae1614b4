using Trilobite.Autograd;
using Trilobite.Kernels;

namespace Trilobite.Tests.Autograd;

/// <summary>Why the gradient checks run in double: a backward pass off by one part in 10⁴ passes the float check but not the double one.</summary>
public class GradCheckSensitivityTests
{
    /// <summary>y = 2x whose backward claims dx += 2.0002·dy: a convention slip of the size a wrong ε or a missing term makes.</summary>
    private sealed class SlightlyWrongDoubling : Op
    {
        private SlightlyWrongDoubling(Tensor x) : base([x]) { }

        public static Tensor Apply(Tensor x)
        {
            var y = Tensor.Create(x.ShapeArray, x.Device, clear: false);
            x.Backend.Map(new ScaleOperator(2f), x.Data, y.Data);
            return Attach(y, new SlightlyWrongDoubling(x));
        }

        protected internal override void Backward(Tensor dy) =>
            dy.Backend.MapBackward(new ScaleOperator(2.0002f), Inputs[0].Data, Output.Data, dy.Data, GradOf(Inputs[0]));
    }

    [Fact]
    public void TheDoubleCheckCatchesWhatTheFloatCheckLetsThrough()
    {
        GradCheck.Check(t => SlightlyWrongDoubling.Apply(t[0]), [Tensor.Uniform([4, 5], -1, 1, 3, Device.Cpu)]);
        var ex = Assert.ThrowsAny<Exception>(() =>
            GradCheck.CheckInDouble(t => SlightlyWrongDoubling.Apply(t[0]), [Tensor.Uniform([4, 5], -1, 1, 3, Device.Reference)]));
        Assert.Contains("analytic", ex.Message);
    }
}
