using System.Runtime.ExceptionServices;
using System.Threading.Channels;
using Trilobite.Training;
using Trilobite.Vision.Imaging;

namespace Trilobite.Vision.Data;

/// <summary>
/// Streams batches of an <see cref="ImageFolder"/>'s files. For each epoch, <c>Workers</c> background tasks decode
/// whole batches (batch b goes to worker b mod Workers) into bounded channels of about <c>PrefetchBatches</c>
/// batches in all, and the trainer takes them in order: at most PrefetchBatches + Workers batches exist at once,
/// whatever the size of the folder. Order and augmentation depend only on the seed, the epoch and the file, so a run
/// repeats exactly however the workers are scheduled.
/// </summary>
public sealed class ImageBatchSource : IBatchSource
{
    private readonly IReadOnlyList<ImageEntry> _files;
    private readonly ImageFolder _folder;
    private readonly bool _shuffle;
    private readonly ImageAugmentation? _augmentation;
    private readonly BadFiles _badFiles;

    internal ImageBatchSource(IReadOnlyList<ImageEntry> files, ImageFolder folder, bool shuffle, ImageAugmentation? augmentation, BadFiles badFiles)
    {
        (_files, _folder, _shuffle, _augmentation, _badFiles) = (files, folder, shuffle, augmentation, badFiles);
    }

    /// <summary>The files of this part, path and label.</summary>
    public IReadOnlyList<ImageEntry> Files => _files;

    /// <summary>The folder's class names by label (shared by both parts).</summary>
    public IReadOnlyList<string> ClassNames => _folder.ClassNames;

    /// <summary>Files in this part (skipped files included until they are found bad).</summary>
    public int Count => _files.Count;

    /// <summary>Files per batch (<see cref="ImageFolderOptions.BatchSize"/>); the last batch may be smaller.</summary>
    public int BatchSize => _folder.Options.BatchSize;

    /// <summary>⌈<see cref="Count"/> / <see cref="BatchSize"/>⌉; a batch whose every file is skipped is not yielded, so an epoch may give fewer.</summary>
    public int BatchesPerEpoch => (Count + BatchSize - 1) / BatchSize;

    /// <summary>The file order of epoch <paramref name="epoch"/> (indices into <see cref="Files"/>).</summary>
    public int[] Order(int epoch)
    {
        int[] order = Enumerable.Range(0, Count).ToArray();
        if (_shuffle) new Random(RandomSeed.Derive(_folder.Options.Seed, 7919 + epoch)).Shuffle(order);
        return order;
    }

    /// <summary>
    /// The batches of epoch <paramref name="epoch"/> in <see cref="Order"/>, decoded ahead by background workers: X is
    /// (B, H, W, C) in [0, 1] and Y one-hot (B, classes) or labels (B), on the CPU. Bad files are skipped or thrown as
    /// the options say; a worker's exception is rethrown here. Disposing the enumerator early stops the workers.
    /// </summary>
    public IEnumerable<Batch> Batches(int epoch)
    {
        int[] order = Order(epoch);
        int batches = BatchesPerEpoch, workers = Math.Min(_folder.Options.Workers, Math.Max(1, batches));
        int capacity = Math.Max(1, (_folder.Options.PrefetchBatches + workers - 1) / workers);
        var channels = Enumerable.Range(0, workers)
            .Select(_ => Channel.CreateBounded<Item>(new BoundedChannelOptions(capacity) { SingleReader = true, SingleWriter = true }))
            .ToArray();
        using var stop = new CancellationTokenSource();
        var tasks = Enumerable.Range(0, workers).Select(w => Task.Run(() => Work(w), CancellationToken.None)).ToArray();
        try
        {
            for (int b = 0; b < batches; b++)
            {
                var item = channels[b % workers].Reader.ReadAsync().AsTask().GetAwaiter().GetResult();
                if (item.Error != null) ExceptionDispatchInfo.Throw(item.Error);
                if (item.X != null) yield return (item.X, item.Y!);   // null: every file of the batch was skipped
            }
        }
        finally
        {
            stop.Cancel();
            try { Task.WaitAll(tasks); }
            catch (AggregateException) { }   // cancelled while waiting to write: the consumer stopped early
        }

        async Task Work(int worker)
        {
            var writer = channels[worker].Writer;
            for (int b = worker; b < batches && !stop.IsCancellationRequested; b += workers)
            {
                Item item;
                try { item = Assemble(order, b, epoch); }
                catch (Exception e) { item = new Item(null, null, e); }
                await writer.WriteAsync(item, stop.Token).ConfigureAwait(false);
                if (item.Error != null) break;
            }
            writer.TryComplete();
        }
    }

    /// <summary>Decodes batch <paramref name="b"/>: X (B, H, W, C) in [0, 1], Y one-hot (B, classes) or labels (B).</summary>
    private Item Assemble(int[] order, int b, int epoch)
    {
        var options = _folder.Options;
        int[] shape = _folder.ImageShape;
        int sampleSize = shape[0] * shape[1] * shape[2], classes = _folder.ClassNames.Count;
        int start = b * options.BatchSize, count = Math.Min(options.BatchSize, Count - start);
        var x = new float[count * sampleSize];
        var labels = new List<int>(count);
        int epochSeed = RandomSeed.Derive(options.Seed, epoch);
        for (int i = 0; i < count; i++)
        {
            int index = order[start + i];
            var entry = _files[index];
            if (_badFiles.IsSkipped(entry.Path)) continue;
            RgbImage picture;
            try { picture = ImageFile.Load(entry.Path); }
            catch (Exception e) when (e is InvalidDataException or IOException)
            {
                _badFiles.Report(entry.Path, "cannot decode it: " + ErrorText.Of(e), e);
                continue;
            }
            var random = _augmentation == null ? null : new Random(RandomSeed.Derive(epochSeed, index));
            var geometry = _augmentation is { IsGeometric: true } ? _augmentation.DrawGeometry(random!) : (ImageAugmentation.Geometry?)null;
            var sample = x.AsSpan(labels.Count * sampleSize, sampleSize);
            ImageSampler.Sample(picture, shape[0], shape[1], options.ColorMode, geometry, sample);
            _augmentation?.ApplyPhotometric(sample, shape[2], random!);
            labels.Add(entry.Label);
        }
        if (labels.Count == 0) return new Item(null, null, null);
        if (labels.Count < count) x = x[..(labels.Count * sampleSize)];
        var y = options.OneHot ? new float[labels.Count * classes] : new float[labels.Count];
        for (int i = 0; i < labels.Count; i++)
            if (options.OneHot) y[i * classes + labels[i]] = 1;
            else y[i] = labels[i];
        return new Item(
            Tensor.FromArray(x, [labels.Count, .. shape], Device.Cpu),   // host batches: Fit moves them to the model's device
            options.OneHot ? Tensor.FromArray(y, [labels.Count, classes], Device.Cpu) : Tensor.FromArray(y, [labels.Count], Device.Cpu),
            null);
    }

    private sealed record Item(Tensor? X, Tensor? Y, Exception? Error);
}
