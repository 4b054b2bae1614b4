using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Trilobite.Playground.Sessions;

namespace Trilobite.Playground.Tests;

/// <summary>
/// The playground in-process (ASP.NET's test host, no socket). The digit classifier is an untrained
/// LeNet loaded from a file, so no test pays for start-up training; limits can be tightened per factory.
/// </summary>
public class PlaygroundFactory : WebApplicationFactory<Trilobite.Playground.Program>
{
    private static readonly Lazy<string> s_untrainedLeNet = new(() =>
    {
        var model = Zoo.LeNetKeras.Build();
        model.Reinitialize(3);
        string path = Path.Combine(Path.GetTempPath(), $"trilobite-playground-tests-{Environment.ProcessId}.trilo");
        model.Save(path);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => File.Delete(path);
        return path;
    });

    public static string UntrainedLeNet => s_untrainedLeNet.Value;

    public string? ModelPath { get; init; } = UntrainedLeNet;

    public SessionLimits Limits { get; init; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("Playground:ModelPath", ModelPath ?? "");
        builder.ConfigureTestServices(services =>
        {
            services.Replace(ServiceDescriptor.Singleton(Limits));
            services.AddSingleton<IStartupFilter, TestClientAddress>();
        });
    }

    /// <summary>The test host has no sockets: a request's "X-Test-Client" header stands for its remote address (per-client caps).</summary>
    private sealed class TestClientAddress : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((context, nextMiddleware) =>
            {
                if (context.Request.Headers.TryGetValue("X-Test-Client", out var client))
                    context.Connection.RemoteIpAddress = System.Net.IPAddress.Parse(client.ToString());
                return nextMiddleware(context);
            });
            next(app);
        };
    }
}
