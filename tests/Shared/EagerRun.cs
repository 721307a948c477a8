using System.Runtime.CompilerServices;
using Autograd.Rnn;

namespace Autograd.Rnn.TestSupport;

/// <summary>
/// Lets CI run a whole test assembly against the eager reference: with AUTOGRAD_RNN_TEST_EAGER=1 in the environment,
/// the process switches plans off (Compile.EagerSwitch) before any test touches a tensor, so every test that compares
/// plans with eager runs, and every other test passes with plans off too (DESIGN.md decision 11).
/// </summary>
internal static class EagerRun
{
    public const string Variable = "AUTOGRAD_RNN_TEST_EAGER";

    /// <summary>The trait that marks tests about plans themselves, which CI leaves out of the eager run.</summary>
    public const string Trait = "Eager run";

    public const string NeedsPlans = "needs plans";

    /// <summary>Whether this process was asked to run eagerly.</summary>
    public static bool Requested => Environment.GetEnvironmentVariable(Variable) == "1";

    [ModuleInitializer]
    internal static void SwitchPlansOffWhenAsked()
    {
        if (Requested) AppContext.SetSwitch(Compile.EagerSwitch, true);
    }
}
