namespace Trilobite.Playground.Sessions;

/// <summary>
/// Caps that keep one learner from starving the others. Memory per session is bounded by
/// construction (500 points, at most 6×8 neurons, fixed heat-map sizes, at most
/// <see cref="MaxHistory"/> loss points); the number of sessions and the compute each may use are capped here.
/// </summary>
public sealed record SessionLimits
{
    /// <summary>Sessions held at once; creating one more evicts the client's own longest-idle session without a listener, or fails.</summary>
    public int MaxSessions { get; init; } = 64;

    /// <summary>Sessions one client (one address) may hold, so no client can fill the store and evict or lock out the others.</summary>
    public int MaxSessionsPerClient { get; init; } = 8;

    /// <summary>Event streams one client may keep open at once (each holds a connection).</summary>
    public int MaxEventStreamsPerClient { get; init; } = 16;

    /// <summary>Event streams one session may feed at once (a page needs one; a few tabs may share it).</summary>
    public int MaxListenersPerSession { get; init; } = 4;

    /// <summary>Compute time one session may spend training before it is paused (reset gives a new allowance).</summary>
    public TimeSpan MaxTrainingTime { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>A session nobody has touched for this long is deleted.</summary>
    public TimeSpan IdleTimeout { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>A playing session with no page listening is paused after this long.</summary>
    public TimeSpan UnwatchedPause { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Fastest pace of a playing session (TensorFlow Playground runs one epoch per animation frame).</summary>
    public int MaxEpochsPerSecond { get; init; } = 60;

    /// <summary>Loss points kept per session; older ones are thinned out (every other one dropped).</summary>
    public int MaxHistory { get; init; } = 4000;

    /// <summary>Upper bound on a session's estimated memory (checked on every configuration).</summary>
    public long MaxSessionBytes { get; init; } = 4 << 20;
}
