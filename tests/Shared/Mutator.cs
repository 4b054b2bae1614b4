using System.Buffers.Binary;
using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Trilobite.Testing;

/// <summary>
/// How many inputs a fuzz test runs: its normal count in every test run, or TRILOBITE_FUZZ_INPUTS in the opt-in long run
/// (docs/RELIABILITY.md: 100,000 per loader).
/// </summary>
public static class FuzzBudget
{
    public static int Inputs(int normal) =>
        int.TryParse(Environment.GetEnvironmentVariable("TRILOBITE_FUZZ_INPUTS"), out int n) && n > 0 ? n : normal;
}

/// <summary>
/// What every fuzzed input must stay within besides its outcome (docs/RELIABILITY.md): at most 2 s, and at most
/// 64 MiB + 200 × its size allocated on the loading thread. A breach fails the test, naming the loader and the trial.
/// </summary>
public static class FuzzLimits
{
    public static readonly TimeSpan MaxTime = TimeSpan.FromSeconds(2);

    public static long MaxAllocation(long inputBytes) => (64L << 20) + 200 * inputBytes;

    /// <summary>
    /// Runs one input's <paramref name="load"/>; its result or exception passes through unless a limit was broken. The
    /// input that broke one is kept in the temporary folder's trilobite-fuzz-failures (named in the message), to become a regression case.
    /// </summary>
    public static T Within<T>(string loader, int trial, byte[] input, Func<T> load, long? allowedBytes = null)
    {
        long before = GC.GetAllocatedBytesForCurrentThread(), start = Stopwatch.GetTimestamp();
        try { return load(); }
        finally
        {
            var elapsed = Stopwatch.GetElapsedTime(start);
            long allocated = GC.GetAllocatedBytesForCurrentThread() - before, limit = allowedBytes ?? MaxAllocation(input.Length);
            if (elapsed > MaxTime)
                throw new TimeoutException($"{loader} fuzzing, trial {trial}: {elapsed.TotalSeconds:F2} s for a {input.Length:N0}-byte input (limit {MaxTime.TotalSeconds} s; kept as {Keep(loader, trial, input)}).");
            if (allocated > limit)
                throw new InsufficientMemoryException($"{loader} fuzzing, trial {trial}: {allocated:N0} bytes allocated for a {input.Length:N0}-byte input (limit {limit:N0}; kept as {Keep(loader, trial, input)}).");
        }
    }

    private static string Keep(string loader, int trial, byte[] input)
    {
        string dir = Path.Combine(Path.GetTempPath(), "trilobite-fuzz-failures");
        Directory.CreateDirectory(dir);
        string path = Path.Combine(dir, $"{loader.Replace(' ', '-')}-{trial}.bin");
        File.WriteAllBytes(path, input);
        return path;
    }
}

/// <summary>
/// Seeded mutations for the robustness tests (linked into each test project): the damage files suffer on disk and in
/// transit (flipped bytes, cut tails, repeated or lost spans) and the values a hostile writer picks (0, −1, huge
/// numbers, nulls, wrong types, deep nesting) placed into otherwise valid JSON, so parsers are reached past their
/// first check. The same seed gives the same inputs, so a failure names a reproducible case.
/// </summary>
public sealed class Mutator(int seed)
{
    private static readonly int[] InterestingInts = [0, -1, 1, 2, 255, 256, 65535, 65536, int.MaxValue, int.MinValue, 0x7FFF_FFF0, 1 << 24, 1 << 30];

    private static readonly string[] InterestingJson =
        ["null", "0", "-1", "1", "2.5", "1e308", "-1e308", "2147483648", "-2147483649", "\"\"", "\"x\"", "\"relu\"", "true",
         "[]", "{}", "[0]", "[-1, -1]", "[0, 0]", "[1, 2, 3]", "[[1, 2], [3, 4]]", "{\"a\": 1}", "\"../../etc/passwd\"", "\"a/b\"",
         "\"<script>\"", "[null]", new string('[', 100) + new string(']', 100)];

    private readonly Random _random = new(seed);

    public Random Random => _random;

    /// <summary>One to a few byte-level mutations of <paramref name="original"/>.</summary>
    public byte[] Bytes(byte[] original)
    {
        var bytes = original.ToList();
        for (int round = _random.Next(1, 4); round > 0 && bytes.Count > 0; round--)
        {
            switch (_random.Next(7))
            {
                case 0:
                    for (int k = _random.Next(1, 8); k > 0; k--) bytes[_random.Next(bytes.Count)] = (byte)_random.Next(256);
                    break;
                case 1:
                    TruncateAt(bytes, _random.Next(1, bytes.Count + 1));
                    break;
                case 2:
                {
                    int start = _random.Next(bytes.Count), length = Math.Min(_random.Next(1, 64), bytes.Count - start);
                    bytes.InsertRange(_random.Next(bytes.Count), bytes.GetRange(start, length));
                    break;
                }
                case 3:
                {
                    int start = _random.Next(bytes.Count), length = Math.Min(_random.Next(1, 64), bytes.Count - start);
                    bytes.RemoveRange(start, length);
                    break;
                }
                case 4:
                {
                    var junk = new byte[_random.Next(1, 32)];
                    _random.NextBytes(junk);
                    bytes.InsertRange(_random.Next(bytes.Count + 1), junk);
                    break;
                }
                case 5 when bytes.Count >= 4:
                {
                    // An interesting 32-bit value, big- or little-endian: lengths, counts and dimensions live in such fields.
                    var field = new byte[4];
                    int value = InterestingInts[_random.Next(InterestingInts.Length)];
                    if (_random.Next(2) == 0) BinaryPrimitives.WriteInt32BigEndian(field, value); else BinaryPrimitives.WriteInt32LittleEndian(field, value);
                    int at = _random.Next(bytes.Count - 3);
                    for (int i = 0; i < 4; i++) bytes[at + i] = field[i];
                    break;
                }
                default:
                    bytes[_random.Next(bytes.Count)] ^= (byte)(1 << _random.Next(8));
                    break;
            }
        }
        return bytes.ToArray();
    }

    private static void TruncateAt(List<byte> bytes, int length)
    {
        if (length < bytes.Count) bytes.RemoveRange(length, bytes.Count - length);
    }

    /// <summary>Valid JSON with one to three values replaced, keys removed or renamed; or, now and then, text-level damage.</summary>
    public string Json(string original)
    {
        if (_random.Next(8) == 0) return Encoding.UTF8.GetString(Bytes(Encoding.UTF8.GetBytes(original)));
        var root = JsonNode.Parse(original)!;
        for (int round = _random.Next(1, 4); round > 0; round--)
        {
            var nodes = new List<JsonNode>();
            Collect(root, nodes);
            var target = nodes[_random.Next(nodes.Count)];
            var replacement = JsonNode.Parse(InterestingJson[_random.Next(InterestingJson.Length)], documentOptions: new JsonDocumentOptions { MaxDepth = 256 });
            switch (target.Parent)
            {
                case JsonObject parent:
                {
                    string key = parent.First(kv => ReferenceEquals(kv.Value, target)).Key;
                    int action = _random.Next(4);
                    if (action == 0) parent.Remove(key);
                    else if (action == 1) { parent.Remove(key); parent[key + "_"] = target; }
                    else parent[key] = replacement;
                    break;
                }
                case JsonArray array:
                {
                    int index = array.IndexOf(target);
                    if (_random.Next(3) == 0) array.RemoveAt(index);
                    else array[index] = replacement;
                    break;
                }
                default:
                    root = replacement ?? JsonValue.Create(0)!;
                    break;
            }
        }
        return root?.ToJsonString() ?? "null";
    }

    private static void Collect(JsonNode node, List<JsonNode> into)
    {
        into.Add(node);
        switch (node)
        {
            case JsonObject o: foreach (var (_, v) in o) if (v != null) Collect(v, into); break;
            case JsonArray a: foreach (var v in a) if (v != null) Collect(v, into); break;
        }
    }
}
