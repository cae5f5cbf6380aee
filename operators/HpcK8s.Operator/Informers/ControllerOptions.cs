namespace HpcK8s.Operator.Informers;

/// <summary>How a <see cref="Controller{T}"/> works its queue. Checked by <see cref="Validate"/>, which the controller's
/// constructor calls; the messages name the property to fix.</summary>
public sealed class ControllerOptions
{
    /// <summary>How many keys are reconciled at once (never the same key twice at once). Default 4.</summary>
    public int Workers { get; init; } = 4;

    /// <summary>The delay before retrying a key whose reconcile threw for the first time; it doubles with every failure
    /// in a row of that key. Default 5 ms, as client-go.</summary>
    public TimeSpan BaseDelay { get; init; } = TimeSpan.FromMilliseconds(5);

    /// <summary>The longest retry delay of a failing key. Default 5 minutes.</summary>
    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Throws <see cref="ArgumentException"/> naming the first property that is out of range.</summary>
    /// <exception cref="ArgumentException">A property is out of range.</exception>
    public void Validate()
    {
        if (Workers is < 1 or > 1024)
        {
            throw new ArgumentException($"ControllerOptions.Workers must be between 1 and 1024, not {Workers}.");
        }

        if (BaseDelay <= TimeSpan.Zero)
        {
            throw new ArgumentException($"ControllerOptions.BaseDelay must be positive, not {BaseDelay}.");
        }

        if (MaxDelay < BaseDelay)
        {
            throw new ArgumentException($"ControllerOptions.MaxDelay ({MaxDelay}) must not be shorter than ControllerOptions.BaseDelay ({BaseDelay}).");
        }
    }
}
