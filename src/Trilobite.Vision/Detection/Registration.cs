using System.Runtime.CompilerServices;

namespace Trilobite.Vision.Detection;

/// <summary>Makes the detectors' loss and loss-part metrics known to <see cref="Model.Load"/> as soon as Trilobite.Vision is loaded.</summary>
internal static class Registration
{
    // A library initialiser is what CA2255 warns about; here it is the point: Model.Load must find the loss without the
    // caller having touched a detection type first.
#pragma warning disable CA2255
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void Register()
    {
        Loss.Register(RetinaNetLoss.LossName, () => new RetinaNetLoss());
        Metric.Register("classification_loss", () => new RetinaNetLossPart(box: false));
        Metric.Register("box_loss", () => new RetinaNetLossPart(box: true));
        Loss.Register(YoloV1Loss.LossName, () => new YoloV1Loss());
        foreach (string part in YoloLossPart.Names) Metric.Register("yolo_" + part, () => new YoloLossPart(part));
    }
}
