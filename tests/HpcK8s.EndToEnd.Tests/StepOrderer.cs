using Xunit.Abstractions;
using Xunit.Sdk;

namespace HpcK8s.EndToEnd.Tests;

/// <summary>Runs a class's tests in the order of their <see cref="StepAttribute"/>.</summary>
public sealed class StepOrderer : ITestCaseOrderer
{
    /// <summary>The orderer's type name, for <c>[TestCaseOrderer]</c>.</summary>
    public const string TypeName = "HpcK8s.EndToEnd.Tests.StepOrderer";

    /// <summary>The assembly that holds it.</summary>
    public const string AssemblyName = "HpcK8s.EndToEnd.Tests";

    public IEnumerable<TTestCase> OrderTestCases<TTestCase>(IEnumerable<TTestCase> testCases)
        where TTestCase : ITestCase =>
        testCases.OrderBy(t => Order(t)).ThenBy(t => t.TestMethod.Method.Name, StringComparer.Ordinal);

    private static int Order(ITestCase testCase) =>
        testCase.TestMethod.Method.GetCustomAttributes(typeof(StepAttribute).AssemblyQualifiedName!)
            .Select(a => a.GetConstructorArguments().OfType<int>().Single())
            .DefaultIfEmpty(int.MaxValue)
            .First();
}
