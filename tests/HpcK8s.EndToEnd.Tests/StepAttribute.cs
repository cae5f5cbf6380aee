namespace HpcK8s.EndToEnd.Tests;

/// <summary>Where a test runs in its class: the tests share one cluster and follow the quick start's order.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class StepAttribute(int order) : Attribute
{
    public int Order { get; } = order;
}
