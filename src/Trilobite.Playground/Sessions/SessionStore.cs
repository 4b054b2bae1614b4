using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace Trilobite.Playground.Sessions;

/// <summary>
/// Thrown when a session or an event stream cannot be had: the server is full (503), or this client already uses its
/// share (<see cref="PerClient"/>: 429).
/// </summary>
public sealed class SessionLimitException(string message, bool perClient = false) : Exception(message)
{
    /// <summary>True when this client's own share was hit (429); false when the whole server is full (503).</summary>
    public bool PerClient { get; } = perClient;
}

/// <summary>
/// The live sessions, by unguessable id. Sessions share nothing but the CPU gate, which lets at most
/// one epoch per core run at a time, so a busy session slows the others down a little rather than
/// starving them. Each client (an address) may hold <see cref="SessionLimits.MaxSessionsPerClient"/> sessions and
/// <see cref="SessionLimits.MaxEventStreamsPerClient"/> event streams: making more evicts its own idle sessions, and a
/// full store gives a new session the longest-unseen unwatched one; a watched session is never evicted.
/// </summary>
public sealed class SessionStore : IDisposable
{
    private readonly ConcurrentDictionary<string, PlaygroundSession> _sessions = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _cpu = new(Math.Max(1, Environment.ProcessorCount));
    private readonly object _createGate = new();
    private long _opened;
    private readonly ConcurrentDictionary<string, int> _streams = new(StringComparer.Ordinal);

    /// <summary>An empty store enforcing <paramref name="limits"/>.</summary>
    public SessionStore(SessionLimits limits) => Limits = limits;

    /// <summary>The caps this store and its sessions enforce.</summary>
    public SessionLimits Limits { get; }

    /// <summary>Number of live sessions.</summary>
    public int Count => _sessions.Count;

    /// <summary>
    /// Validates <paramref name="config"/> and opens a new session for <paramref name="client"/>. At a cap, the client's
    /// least recently seen unwatched session is removed to make room (or, when the store is full, anyone's).
    /// </summary>
    /// <exception cref="ArgumentException">The configuration is invalid or too large.</exception>
    /// <exception cref="SessionLimitException">A cap is reached and the client has no unwatched session to give up.</exception>
    public PlaygroundSession Create(SessionConfig config, string client = "local")
    {
        config.Validate();
        lock (_createGate)
        {
            var mine = _sessions.Values.Where(s => s.Client == client).ToList();
            bool full = _sessions.Count >= Limits.MaxSessions, atShare = mine.Count >= Limits.MaxSessionsPerClient;
            if (full || atShare)
            {
                // The client's own idle session first; when the whole store is full (and the client within its share),
                // the longest-unseen unwatched session of anyone, so that abandoned pages never lock a new visitor out.
                var idle = Oldest(mine.Where(s => s.Listeners == 0))
                    ?? (atShare ? null : Oldest(_sessions.Values.Where(s => s.Listeners == 0)));
                if (idle == null)
                    throw atShare
                        ? new SessionLimitException($"This client already has {mine.Count} sessions open and watched; close a page first.", perClient: true)
                        : new SessionLimitException($"The playground already holds {Limits.MaxSessions} active sessions; try again in a few minutes.");
                Remove(idle.Id);
            }
            string id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
            var session = new PlaygroundSession(id, config, Limits, _cpu) { Client = client, Sequence = ++_opened };
            _sessions[id] = session;
            return session;
        }
    }

    private static PlaygroundSession? Oldest(IEnumerable<PlaygroundSession> sessions) =>
        sessions.OrderBy(s => s.LastSeen).ThenBy(s => s.Sequence).FirstOrDefault();

    /// <summary>Counts an event stream of <paramref name="client"/> on <paramref name="session"/> until disposed; refuses one over the caps.</summary>
    public IDisposable OpenStream(PlaygroundSession session, string client)
    {
        if (session.Listeners >= Limits.MaxListenersPerSession)
            throw new SessionLimitException($"This session already feeds {session.Listeners} pages; close one first.", perClient: true);
        int open = _streams.AddOrUpdate(client, 1, (_, n) => n + 1);
        if (open > Limits.MaxEventStreamsPerClient)
        {
            CloseStream(client);
            throw new SessionLimitException($"This client already has {Limits.MaxEventStreamsPerClient} event streams open; close some pages first.", perClient: true);
        }
        var listening = session.Listen();
        return new Stream(() => { listening.Dispose(); CloseStream(client); });
    }

    private void CloseStream(string client)
    {
        if (_streams.AddOrUpdate(client, 0, (_, n) => n - 1) <= 0) _streams.TryRemove(new KeyValuePair<string, int>(client, 0));
    }

    private sealed class Stream(Action close) : IDisposable
    {
        private int _closed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _closed, 1) == 0) close();
        }
    }

    /// <summary>The session with this id, or null (never created, removed or expired).</summary>
    public PlaygroundSession? Find(string id) => _sessions.TryGetValue(id, out var s) ? s : null;

    /// <summary>Removes and disposes the session; false when there is none with this id.</summary>
    public bool Remove(string id)
    {
        if (!_sessions.TryRemove(id, out var session)) return false;
        session.Dispose();
        return true;
    }

    /// <summary>Deletes sessions nobody has looked at for <see cref="SessionLimits.IdleTimeout"/>.</summary>
    public int Sweep()
    {
        long now = Environment.TickCount64;
        int removed = 0;
        foreach (var s in _sessions.Values)
            if (s.Listeners == 0 && now - s.LastSeen > Limits.IdleTimeout.TotalMilliseconds && Remove(s.Id)) removed++;
        return removed;
    }

    /// <summary>Removes and disposes every session.</summary>
    public void Dispose()
    {
        foreach (var id in _sessions.Keys) Remove(id);
    }
}
