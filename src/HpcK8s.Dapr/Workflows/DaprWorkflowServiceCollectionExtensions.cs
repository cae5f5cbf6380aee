using HpcK8s.Workflows.Authoring;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace HpcK8s.Dapr.Workflows;

/// <summary>Registers the Dapr workflow worker (as a hosted service) and client.</summary>
public static class DaprWorkflowServiceCollectionExtensions
{
    /// <summary>
    /// Adds <see cref="DaprWorkflowOptions"/> (validated on start), a <see cref="DaprWorkflowWorker"/> running the
    /// registered <see cref="WorkflowRegistry"/> as a hosted service, and a <see cref="DaprWorkflowClient"/>.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Adjusts the options after binding; null keeps them.</param>
    /// <returns>The service collection.</returns>
    /// <remarks>Register a <see cref="WorkflowRegistry"/> singleton too; bind configuration with
    /// <c>services.Configure&lt;DaprWorkflowOptions&gt;(configuration.GetSection(DaprWorkflowOptions.SectionName))</c>.</remarks>
    public static IServiceCollection AddDaprWorkflows(this IServiceCollection services, Action<DaprWorkflowOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<DaprWorkflowOptions>().ValidateOnStart();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<DaprWorkflowOptions>, DaprWorkflowOptionsValidator>());
        services.TryAddSingleton(sp => new DaprWorkflowWorker(
            sp.GetRequiredService<WorkflowRegistry>(),
            sp.GetRequiredService<IOptions<DaprWorkflowOptions>>().Value,
            sp.GetService<ILoggerFactory>(),
            sp.GetService<TimeProvider>()));
        services.AddHostedService(sp => sp.GetRequiredService<DaprWorkflowWorker>());
        services.TryAddSingleton(sp => new DaprWorkflowClient(
            sp.GetRequiredService<IOptions<DaprWorkflowOptions>>().Value, sp.GetService<ILogger<DaprWorkflowClient>>()));
        return services;
    }
}
