using Microsoft.Extensions.Time.Testing;

namespace Incidents.Simulators.Tests.Infrastructure;

/// <summary>A started simulator with a fake clock and a bot client.</summary>
public sealed class Sim : IAsyncDisposable
{
    private readonly List<IDisposable> _clients = [];

    private Sim(SimulatorHost host, FakeTimeProvider time)
    {
        Host = host;
        Time = time;
        Bot = Client(host.RocketChat.Bot);
    }

    public static DateTimeOffset Start { get; } = new(2026, 3, 1, 10, 0, 0, TimeSpan.Zero);

    public SimulatorHost Host { get; }

    public FakeTimeProvider Time { get; }

    public RcClient Bot { get; }

    public RocketChatState State => Host.RocketChat;

    public static Task<Sim> StartAsync(int version = 8) =>
        StartAsync(time => new SimulatorOptions { TimeProvider = time, RocketChatVersion = version });

    public static async Task<Sim> StartAsync(Func<FakeTimeProvider, SimulatorOptions> build)
    {
        var time = new FakeTimeProvider(Start);
        return new Sim(await SimulatorHost.StartAsync(build(time)), time);
    }

    public RcClient Client(SimUser? user)
    {
        var client = new RcClient(Host.BaseUrl, user);
        _clients.Add(client);
        return client;
    }

    public RcClient NewUser(string username, params string[] roles) =>
        Client(State.AddUser(username, username.ToUpperInvariant(), roles));

    public async ValueTask DisposeAsync()
    {
        foreach (var client in _clients)
        {
            client.Dispose();
        }

        await Host.DisposeAsync();
    }
}
