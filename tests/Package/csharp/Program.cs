// The package as shipped: a gradient taken by the packed library, checked against the analytic one.
// Usage: dotnet run -- <expected informational version, e.g. 0.1.0-alpha.1+<commit>>. Exits with 1 on a mismatch.
using System.Reflection;
using Autograd.Rnn;

var expectedVersion = args.Length > 0 ? args[0] : throw new ArgumentException("pass the expected informational version");

var library = typeof(Tensor).Assembly;
var version = library.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "";
Console.WriteLine($"Autograd.Rnn {version} from {library.Location}");

// L(w, b) = Σ tanh(x·w + b), x [3, 2], w [2, 3], b [3].
double[,] xs = { { 0.5, 1.0 }, { -1.0, 0.5 }, { 1.5, -0.5 } };
var x = Tensor.FromArray(xs);
var parameters = Params<double>.Empty
    .Add("w", Tensor.RandomNormal<double>([2, 3], seed: 1))
    .Add("b", Tensor.FromArray([0.1, -0.2, 0.3], 3));
var result = Grad.ValueAndGrad(p => Tensor.Tanh(x.MatMul(p["w"]) + p["b"]).Sum(), parameters);

// Analytic: with z = x·w + b and s = 1 − tanh²(z), dL/dw[i, j] = Σₙ x[n, i]·s[n, j] and dL/db[j] = Σₙ s[n, j].
var w = parameters["w"].ToArray2D();
var b = parameters["b"].ToArray();
var expectedW = new double[2, 3];
var expectedB = new double[3];
for (var n = 0; n < 3; n++)
{
    for (var j = 0; j < 3; j++)
    {
        var z = xs[n, 0] * w[0, j] + xs[n, 1] * w[1, j] + b[j];
        var s = 1 - Math.Tanh(z) * Math.Tanh(z);
        expectedB[j] += s;
        for (var i = 0; i < 2; i++) expectedW[i, j] += xs[n, i] * s;
    }
}

var gradientW = result.Gradients["w"].ToArray2D();
var gradientB = result.Gradients["b"].ToArray();
var worst = 0.0;
for (var j = 0; j < 3; j++)
{
    worst = Math.Max(worst, Math.Abs(gradientB[j] - expectedB[j]));
    for (var i = 0; i < 2; i++) worst = Math.Max(worst, Math.Abs(gradientW[i, j] - expectedW[i, j]));
}
Console.WriteLine($"loss {result.Value.Item:F6}; dL/dw {result.Gradients["w"]}; largest difference from the analytic gradient {worst:E2}");

var failures = new List<string>();
if (version != expectedVersion) // the version and the commit: a stale copy of the same version fails here
    failures.Add($"the library's version is {version}, expected {expectedVersion}");
if (!(worst <= 1e-12)) failures.Add($"the gradient differs from the analytic one by {worst:E2}");
foreach (var failure in failures) Console.WriteLine($"FAILED: {failure}");
if (failures.Count == 0) Console.WriteLine("package smoke test (C#): passed");
return failures.Count == 0 ? 0 : 1;
