using System.CommandLine;
using Trilobite.Kernels;
using Trilobite.Serving;

namespace Trilobite.Cli.Commands;

/// <summary>
/// <c>trilobite serve MODEL [--port 8080] [--host 127.0.0.1] [--max-batch 16] [--max-wait-ms 2] [--max-queue 256] [--warmup 64]</c>: answers
/// POST /v1/predict (pictures or JSON tensors) with <see cref="InferenceServer"/> until Ctrl+C, which drains the requests
/// in flight first.
/// </summary>
internal static class ServeCommand
{
    public static Command Create(ConsoleIO io)
    {
        var file = new Argument<string>("model") { Description = "A model saved by train --save, or an .onnx file." };
        var port = new Option<int>("--port") { Description = "TCP port (0: any free one).", DefaultValueFactory = _ => 8080 }.Range(0, 65535);
        var host = new Option<string>("--host") { Description = "Address to bind; 127.0.0.1 serves this machine only, 0.0.0.0 every network.", DefaultValueFactory = _ => "127.0.0.1" };
        var maxBatch = new Option<int>("--max-batch") { Description = "Requests gathered into one forward pass at most (1: no batching).", DefaultValueFactory = _ => 16 }.Range(1, 4096);
        var maxWait = new Option<int>("--max-wait-ms") { Description = "How long the first request of a batch waits for others.", DefaultValueFactory = _ => 2 }.Range(0, 10_000);
        var maxQueue = new Option<int>("--max-queue") { Description = "Requests allowed to wait; beyond, 503 with Retry-After.", DefaultValueFactory = _ => 256 }.Range(1, 1_000_000);
        var timeout = new Option<int>("--timeout-ms") { Description = "A request not answered in this time gets 504.", DefaultValueFactory = _ => 30_000 }.Range(1, 3_600_000);
        var warmup = new Option<int>("--warmup") { Description = "Forward passes on zeros before listening, so the first requests find the code compiled (0: none).", DefaultValueFactory = _ => 64 }.Range(0, 100_000);
        var topK = new Option<int>("--top-k") { Description = "Classes listed in a classifier's answer.", DefaultValueFactory = _ => 5 }.Range(1, 1000);
        var threads = TrainCommand.ThreadsOption();
        var command = new Command("serve", "Answer predictions over HTTP: POST /v1/predict, GET /v1/model, /healthz, /metrics.")
        { file, port, host, maxBatch, maxWait, maxQueue, timeout, warmup, topK, threads };
        command.SetAction(parse => io.Guard(() =>
        {
            if (parse.GetValue(threads) is int t) KernelThreads.Count = t;
            string path = parse.GetValue(file)!;
            var model = ModelFiles.Load(path);
            var options = new ServeOptions
            {
                Host = parse.GetValue(host)!, Port = parse.GetValue(port), MaxBatch = parse.GetValue(maxBatch), MaxWaitMs = parse.GetValue(maxWait),
                MaxQueue = parse.GetValue(maxQueue), RequestTimeoutMs = parse.GetValue(timeout), WarmupPasses = parse.GetValue(warmup), TopK = parse.GetValue(topK),
            };
            var server = InferenceServer.StartAsync(model, options, Path.GetFileName(path)).GetAwaiter().GetResult();
            io.Out.WriteLine($"Serving {Path.GetFileName(path)} ({server.Kind}, input {ShapeText.WithBatch(model.InputShape)}) at {server.Address}: " +
                $"POST /v1/predict, GET /v1/model, /healthz, /metrics; batches of up to {options.MaxBatch} within {options.MaxWaitMs} ms. Ctrl+C stops.");
            io.Out.Flush();
            server.WaitForShutdownAsync().GetAwaiter().GetResult();
            server.DisposeAsync().AsTask().GetAwaiter().GetResult();
            io.Out.WriteLine("Stopped.");
            return ExitCodes.Success;
        }));
        return command;
    }
}
