namespace Autograd.Rnn.Conformance.Tests;

/// <summary>The committed reference files: where they came from, and that they hold exactly the registered cases.</summary>
public sealed class ReferenceFileTests
{
    [Fact]
    public void Reference_files_name_their_libtorch_and_hold_exactly_the_registered_cases()
    {
        string[][] expected =
        [
            [.. OpConformanceTests.Registry.Keys, .. CheckCases.All().Select(c => c.Name)],
            [.. RecurrentCases.Layers().Select(c => c.Name), .. RecurrentCases.CellSteps().Select(c => c.Name)],
            [.. OptimizerCases.All().Select(c => c.Name), .. OptimizerCases.ClipMaxNorms.Select(OptimizerCases.ClipName)],
        ];
        for (int i = 0; i < expected.Length; i++)
        {
            var (name, file) = Conformance.Files[i];
            Assert.Equal("autograd-rnn-conformance 1", file.HeaderValue("format"));
            Assert.Equal("float64", file.HeaderValue("dtype"));
            Assert.StartsWith("2.", file.HeaderValue("libtorch"));
            Assert.NotEmpty(file.HeaderValue("torchsharp"));
            var stored = file.Cases.Select(c => c.Name).ToArray();
            Assert.True(stored.Order().SequenceEqual(expected[i].Order()),
                $"{name} holds [{string.Join("; ", stored.Except(expected[i]))}] that no case defines and lacks " +
                $"[{string.Join("; ", expected[i].Except(stored))}]: regenerate it with tests/Autograd.Rnn.Conformance.Generator.");
        }
    }
}
