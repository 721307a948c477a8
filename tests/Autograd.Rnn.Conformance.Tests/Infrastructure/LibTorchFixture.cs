using TorchSharp;

namespace Autograd.Rnn.Conformance.Tests;

/// <summary>
/// Loads libtorch once for the whole run and pins it to one thread, so reference results do not depend on
/// the machine's core count and libtorch's thread pool does not compete with the test runner.
/// </summary>
public sealed class LibTorchFixture
{
    public LibTorchFixture()
    {
        // The first torch call loads libLibTorchSharp.so and libtorch_cpu.so (on Debian 12 only after the
        // build's FixLibTorchSharpForOldLibstdcxx target has patched the copy in the output folder).
        torch.set_num_threads(1);
        torch.set_default_dtype(torch.float64);
    }
}

/// <summary>Every test that calls libtorch belongs to this collection: one fixture, run serially.</summary>
[CollectionDefinition(Name)]
public sealed class LibTorchCollection : ICollectionFixture<LibTorchFixture>
{
    public const string Name = "libtorch";
}
