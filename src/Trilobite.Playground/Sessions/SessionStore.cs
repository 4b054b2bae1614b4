using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace Trilobite.Playground.Sessions;

/// <summary>Thrown when no session can be created because every slot is in use.</summary>
public sealed class SessionLimitException(string message) : Exception(message);

/// <summary>
/// The live sessions, by unguessable id. Sessions share nothing but the CPU gate, which lets at most
/// one epoch per core run at a time, so a busy session slows the others down a little rather than
/// starving them.
/// </summary>
public sealed class SessionStore : IDisposable
{
    private readonly ConcurrentDictionary<string, PlaygroundSession> _sessions = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _cpu = new(Math.Max(1, Environment.ProcessorCount));
    private readonly object _createGate = new();

    public SessionStore(SessionLimits limits) => Limits = limits;

    public SessionLimits Limits { get; }

    public int Count => _sessions.Count;

    public PlaygroundSession Create(SessionConfig config)
    {
        config.Validate();
        lock (_createGate)
        {
            if (_sessions.Count >= Limits.MaxSessions)
            {
                var idle = _sessions.Values.Where(s => s.Listeners == 0).OrderBy(s => s.LastSeen).FirstOrDefault();
                if (idle == null) throw new SessionLimitException($"The playground already holds {Limits.MaxSessions} active sessions; try again in a few minutes.");
                Remove(idle.Id);
            }
            string id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
            var session = new PlaygroundSession(id, config, Limits, _cpu);
            _sessions[id] = session;
            return session;
        }
    }

    public PlaygroundSession? Find(string id) => _sessions.TryGetValue(id, out var s) ? s : null;

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

    public void Dispose()
    {
        foreach (var id in _sessions.Keys) Remove(id);
    }
}
