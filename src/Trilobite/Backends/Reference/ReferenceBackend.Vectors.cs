namespace Trilobite.Backends;

/// <summary>
/// The Reference backend's functions of vectors along one axis of (outer, axis, inner): softmax over any axis, and the
/// capsules' squash and length, each from its definition (the squash's backward through its whole Jacobian matrix).
/// </summary>
internal sealed partial class ReferenceBackend
{
    public void SoftmaxAxis(StorageView x, int outer, int axis, int inner, StorageView y)
    {
        Span<double> xs = Span(x), ys = Span(y);
        for (int o = 0; o < outer; o++)
            for (int i = 0; i < inner; i++)
            {
                double max = double.NegativeInfinity, sum = 0;
                for (int a = 0; a < axis; a++) max = Math.Max(max, xs[At(o, a, i, axis, inner)]);
                for (int a = 0; a < axis; a++) sum += Math.Exp(xs[At(o, a, i, axis, inner)] - max);
                for (int a = 0; a < axis; a++) ys[At(o, a, i, axis, inner)] = Math.Exp(xs[At(o, a, i, axis, inner)] - max) / sum;
            }
    }

    public void SoftmaxAxisBackward(StorageView y, StorageView dy, int outer, int axis, int inner, StorageView dx)
    {
        Span<double> ys = Span(y), gs = Span(dy), ds = Span(dx);
        for (int o = 0; o < outer; o++)
            for (int i = 0; i < inner; i++)
                for (int a = 0; a < axis; a++)   // ∂y_b/∂x_a = y_b(δ_ab − y_a)
                {
                    double sum = 0, ya = ys[At(o, a, i, axis, inner)];
                    for (int b = 0; b < axis; b++) sum += gs[At(o, b, i, axis, inner)] * ys[At(o, b, i, axis, inner)] * ((a == b ? 1 : 0) - ya);
                    ds[At(o, a, i, axis, inner)] += sum;
                }
    }

    public void Squash(StorageView x, int outer, int axis, int inner, StorageView y)
    {
        Span<double> xs = Span(x), ys = Span(y);
        for (int o = 0; o < outer; o++)
            for (int i = 0; i < inner; i++)
            {
                double squared = SquaredNorm(xs, o, i, axis, inner), norm = Math.Sqrt(squared);
                for (int a = 0; a < axis; a++)
                    ys[At(o, a, i, axis, inner)] = norm == 0 ? 0 : squared / (1 + squared) * xs[At(o, a, i, axis, inner)] / norm;
            }
    }

    public void SquashBackward(StorageView x, StorageView dy, int outer, int axis, int inner, StorageView dx)
    {
        Span<double> xs = Span(x), gs = Span(dy), ds = Span(dx);
        for (int o = 0; o < outer; o++)
            for (int i = 0; i < inner; i++)
            {
                double q = SquaredNorm(xs, o, i, axis, inner);
                if (q == 0) continue;   // v = s·√q/(1 + q) is o(‖s‖)-flat at 0: its Jacobian there is 0
                double r = Math.Sqrt(q);
                // ∂v_b/∂s_a = δ_ab·r/(1 + q) + s_a·s_b·(1 − q)/(r·(1 + q)²)
                for (int a = 0; a < axis; a++)
                {
                    double sa = xs[At(o, a, i, axis, inner)], sum = 0;
                    for (int b = 0; b < axis; b++)
                    {
                        double sb = xs[At(o, b, i, axis, inner)];
                        double jacobian = (a == b ? r / (1 + q) : 0) + sa * sb * (1 - q) / (r * (1 + q) * (1 + q));
                        sum += jacobian * gs[At(o, b, i, axis, inner)];
                    }
                    ds[At(o, a, i, axis, inner)] += sum;
                }
            }
    }

    public void VectorNorm(StorageView x, int outer, int axis, int inner, StorageView y)
    {
        Span<double> xs = Span(x), ys = Span(y);
        for (int o = 0; o < outer; o++)
            for (int i = 0; i < inner; i++)
            {
                ys[o * inner + i] = Math.Sqrt(SquaredNorm(xs, o, i, axis, inner));
            }
    }

    public void VectorNormBackward(StorageView x, StorageView y, StorageView dy, int outer, int axis, int inner, StorageView dx)
    {
        Span<double> xs = Span(x), ys = Span(y), gs = Span(dy), ds = Span(dx);
        for (int o = 0; o < outer; o++)
            for (int i = 0; i < inner; i++)
            {
                double norm = ys[o * inner + i];
                if (norm == 0) continue;   // the subgradient 0 at the zero vector
                for (int a = 0; a < axis; a++) ds[At(o, a, i, axis, inner)] += gs[o * inner + i] * xs[At(o, a, i, axis, inner)] / norm;
            }
    }

    private static int At(int o, int a, int i, int axis, int inner) => (o * axis + a) * inner + i;

    private static double SquaredNorm(Span<double> xs, int o, int i, int axis, int inner)
    {
        double sum = 0;
        for (int a = 0; a < axis; a++) sum += xs[At(o, a, i, axis, inner)] * xs[At(o, a, i, axis, inner)];
        return sum;
    }
}
