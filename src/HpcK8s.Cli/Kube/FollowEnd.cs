namespace HpcK8s.Cli.Kube;

/// <summary>Why following a job stopped.</summary>
internal enum FollowEnd
{
    /// <summary>The job finished (see <see cref="JobState.IsFinished"/>).</summary>
    Finished,

    /// <summary>The job was deleted before it finished.</summary>
    Deleted,

    /// <summary>The job was deleted and a new one of the same name created (another uid).</summary>
    Replaced,
}
