using Trilobite.Autograd;
using Trilobite.Layers;

namespace Trilobite.Playground.Digits;

/// <summary>
/// "What the network sees" for one 28×28 input: the first convolution's filters, the activation maps
/// of every convolution (the lecture's hierarchical representations) and a Grad-CAM heat map
/// (Selvaraju et al. 2017): with A the last convolution's output (H, W, K) and y the class score
/// before the softmax, α_k = mean_ij ∂y/∂A_ijk and CAM = ReLU(Σ_k α_k A_k), resized to the input.
/// </summary>
internal static class NetworkView
{
    public static DigitInsight Compute(Sequential model, float[] input, int? targetClass, Func<float[], float[], DigitPrediction> predict)
    {
        var layers = model.Stack;
        int camIndex = -1;
        for (int i = 0; i < layers.Count; i++) if (layers[i] is Conv2D) camIndex = i;
        if (camIndex < 0) throw new InvalidOperationException("'What the network sees' needs a model with at least one Conv2D layer.");
        var first = (Conv2D)layers.First(l => l is Conv2D);

        using var scope = new TensorScope();
        var maps = new List<FeatureMaps>();
        var x = Tensor.FromArray(input, [1, 28, 28, 1], model.Device);
        // x: (1, 28, 28, 1) → … → A: (1, H, W, K), without recording: nothing before A needs a gradient.
        using (GradMode.NoGrad())
            for (int i = 0; i <= camIndex; i++)
            {
                x = layers[i].Forward([x], false);
                if (layers[i] is Conv2D) maps.Add(Maps(layers[i].Name, x));
            }
        var a = x.Clone();
        a.RequiresGrad = true;
        x = a;
        Tensor? logits = null;
        for (int i = camIndex + 1; i < layers.Count; i++)
        {
            if (i == layers.Count - 1 && layers[i] is Dense { Activation: Activation.Softmax } dense)
            {
                logits = dense.Logits(x);                      // (1, 10): the score before the softmax
                x = logits.Softmax();
            }
            else x = layers[i].Forward([x], false);
        }
        var prediction = predict(x.ToArray(), input);
        int cls = targetClass ?? prediction.Ranking[0];
        var score = logits ?? x;
        var seed = Tensor.Zeros(score.ShapeArray, score.Device);
        seed[0, cls] = 1f;
        score.Backward(seed);
        return new DigitInsight(prediction, first.KernelSize.H == first.KernelSize.W ? first.KernelSize.H : 0, Filters(first), [.. maps],
            cls, layers[camIndex].Name, GradCam(a, a.Grad!));
    }

    /// <summary>Each filter of a (kh, kw, cin, cout) kernel averaged over input channels and scaled to [−1, 1].</summary>
    private static float[][] Filters(Conv2D conv)
    {
        var k = conv.Kernel.Value;
        int kh = k.Dim(0), kw = k.Dim(1), cin = k.Dim(2), cout = k.Dim(3);
        float[] w = k.ToArray();
        var filters = new float[cout][];
        for (int o = 0; o < cout; o++)
        {
            var f = new float[kh * kw];
            for (int p = 0; p < kh * kw; p++)
            {
                float sum = 0;
                for (int c = 0; c < cin; c++) sum += w[(p * cin + c) * cout + o];
                f[p] = sum / cin;
            }
            float m = f.Max(MathF.Abs);
            filters[o] = m > 0 ? f.Select(v => v / m).ToArray() : f;
        }
        return filters;
    }

    /// <summary>(1, H, W, C) → C maps of H×W bytes, each stretched from its own minimum to its maximum.</summary>
    private static FeatureMaps Maps(string layer, Tensor t)
    {
        int h = t.Dim(1), w = t.Dim(2), c = t.Dim(3);
        float[] s = t.ToArray();
        var maps = new string[c];
        var bytes = new byte[h * w];
        for (int ch = 0; ch < c; ch++)
        {
            float lo = float.MaxValue, hi = float.MinValue;
            for (int p = 0; p < h * w; p++) { lo = Math.Min(lo, s[p * c + ch]); hi = Math.Max(hi, s[p * c + ch]); }
            float range = hi - lo;
            for (int p = 0; p < h * w; p++) bytes[p] = range > 1e-12f ? (byte)MathF.Round((s[p * c + ch] - lo) / range * 255f) : (byte)0;
            maps[ch] = Convert.ToBase64String(bytes);
        }
        return new FeatureMaps(layer, h, w, c, maps);
    }

    /// <summary>ReLU(Σ_k α_k A_k) with α_k the spatial mean of the gradient, bilinearly resized to 28×28 and scaled to [0, 1].</summary>
    private static float[] GradCam(Tensor a, Tensor grad)
    {
        int h = a.Dim(1), w = a.Dim(2), k = a.Dim(3);
        float[] av = a.ToArray(), g = grad.ToArray();
        var alpha = new float[k];
        for (int p = 0; p < h * w; p++)
            for (int c = 0; c < k; c++) alpha[c] += g[p * k + c] / (h * w);
        var cam = new float[h * w];
        for (int p = 0; p < h * w; p++)
        {
            float sum = 0;
            for (int c = 0; c < k; c++) sum += alpha[c] * av[p * k + c];
            cam[p] = Math.Max(0, sum);
        }
        var result = new float[28 * 28];
        for (int y = 0; y < 28; y++)
            for (int x = 0; x < 28; x++)
            {
                // Align pixel centres: input (x + 0.5) / 28 ↔ map (u + 0.5) / w.
                float u = Math.Clamp((x + 0.5f) * w / 28f - 0.5f, 0, w - 1), v = Math.Clamp((y + 0.5f) * h / 28f - 0.5f, 0, h - 1);
                int u0 = (int)u, v0 = (int)v, u1 = Math.Min(u0 + 1, w - 1), v1 = Math.Min(v0 + 1, h - 1);
                float fu = u - u0, fv = v - v0;
                result[y * 28 + x] = (1 - fv) * ((1 - fu) * cam[v0 * w + u0] + fu * cam[v0 * w + u1]) + fv * ((1 - fu) * cam[v1 * w + u0] + fu * cam[v1 * w + u1]);
            }
        float max = result.Max();
        if (max > 0) for (int i = 0; i < result.Length; i++) result[i] /= max;
        return result;
    }
}
