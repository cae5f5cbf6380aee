using System.Text.Json.Serialization;

namespace HpcK8s.Workflows.History;

/// <summary>
/// One thing a workflow turn asks the engine to do, modelled on the Durable Task protocol's <c>WorkflowAction</c>.
/// </summary>
/// <remarks>
/// Every action carries an <see cref="Id"/> from one counter per execution (starting at 0). The engine records
/// each action as one history event whose <c>EventId</c> is that id, and completions refer back to it.
/// Serializes polymorphically with a <c>"kind"</c> discriminator.
/// </remarks>
/// <param name="Id">The action id.</param>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "kind", UnknownDerivedTypeHandling = JsonUnknownDerivedTypeHandling.FailSerialization)]
[JsonDerivedType(typeof(ScheduleTaskAction), "scheduleTask")]
[JsonDerivedType(typeof(CreateChildWorkflowAction), "createChildWorkflow")]
[JsonDerivedType(typeof(CreateTimerAction), "createTimer")]
[JsonDerivedType(typeof(SendEventAction), "sendEvent")]
[JsonDerivedType(typeof(CompleteWorkflowAction), "completeWorkflow")]
public abstract record WorkflowAction(int Id);
