namespace Trilobite.Backends;

/// <summary>Reductions along one axis of a tensor viewed as (outer, axis, inner).</summary>
public interface IReductionBackend
{
    /// <summary>y[o, i] = scale·Σₐ x[o, a, i].</summary>
    void Sum(StorageView x, int outer, int axis, int inner, float scale, StorageView y);

    /// <summary>dx[o, a, i] += scale·dy[o, i] for every a: the adjoint of <see cref="Sum"/>.</summary>
    void SumBackward(StorageView dy, int outer, int axis, int inner, float scale, StorageView dx);

    /// <summary>y[o, i] = the index a of the largest x[o, a, i] (the first on ties; the last NaN, if any), stored as a number: not differentiable.</summary>
    void ArgMax(StorageView x, int outer, int axis, int inner, StorageView y);
}
