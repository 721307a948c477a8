using System.Reflection;
using FsCheck;

namespace Autograd.Rnn.Tests.Gradients;

/// <summary>
/// One row of the gradient-test table: a primitive op, the input shapes to generate, where input values come from,
/// and the function of the inputs to check (usually the op itself, with its non-tensor arguments fixed by the
/// generated case). Every row becomes an FsCheck property comparing reverse mode with central differences.
/// </summary>
/// <param name="Name">Unique, readable: shown in the test name.</param>
/// <param name="Primitive">The internal op class it covers (e.g. <c>typeof(TanhOp)</c>).</param>
/// <param name="Cases">Generates the inputs' shapes plus an integer the function may use (an axis, a split point).</param>
/// <param name="Function">The function of the inputs, given the generated integer.</param>
/// <param name="Domain">Where input values are drawn from.</param>
public sealed record OpSpec(
    string Name,
    Type Primitive,
    Gen<OpCase> Cases,
    Func<Tensor<double>[], int, Tensor<double>> Function,
    Domain Domain = Domain.Any)
{
    public override string ToString() => Name;
}

/// <summary>A generated case: input shapes and one free integer (an axis, a size, an exponent index…).</summary>
public sealed record OpCase(int[][] Shapes, int Argument)
{
    public override string ToString() => $"shapes {string.Join(" ", Shapes.Select(s => "[" + string.Join(",", s) + "]"))}, argument {Argument}";
}

/// <summary>Marks a static property of type <c>IEnumerable&lt;OpSpec&gt;</c> that contributes rows to the registry.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class OpSpecsAttribute : Attribute;

/// <summary>All rows: every static property marked <see cref="OpSpecsAttribute"/> in this assembly.</summary>
public static class OpRegistry
{
    private static readonly Lazy<IReadOnlyList<OpSpec>> all = new(() =>
        typeof(OpRegistry).Assembly.GetTypes()
            .SelectMany(t => t.GetProperties(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static))
            .Where(p => p.GetCustomAttribute<OpSpecsAttribute>() is not null)
            .SelectMany(p => (IEnumerable<OpSpec>)p.GetValue(null)!)
            .ToList());

    public static IReadOnlyList<OpSpec> All => all.Value;

    public static OpSpec Named(string name) => All.Single(s => s.Name == name);
}
