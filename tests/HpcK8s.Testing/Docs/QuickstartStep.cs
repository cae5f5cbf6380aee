namespace HpcK8s.Testing.Docs;

/// <summary>One marked step of docs/quickstart-kind.md and how the tests exercise it.</summary>
/// <param name="Id">The marker's id (<c>&lt;!-- step: ID --&gt;</c> before the step's code block).</param>
/// <param name="Coverage">How it is exercised.</param>
/// <param name="How">Where, in a few words (for failure messages).</param>
public sealed record QuickstartStep(string Id, StepCoverage Coverage, string How);
