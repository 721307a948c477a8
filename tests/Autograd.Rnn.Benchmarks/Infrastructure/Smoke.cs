using System.Diagnostics;
using System.Reflection;
using System.Text.RegularExpressions;
using BenchmarkDotNet.Attributes;

namespace Autograd.Rnn.Benchmarks;

/// <summary>
/// The CI smoke run (<c>--smoke</c>): in this process, for every benchmark class (or those <c>--filter</c> selects),
/// takes the first value of each parameter (the smallest size), runs the global set-up, every benchmark body twice
/// and the clean-up. It checks that every body runs (libtorch loads, shapes agree, gradients are computed); it
/// asserts nothing about time. The thread count is this process's (no per-job DOTNET_PROCESSOR_COUNT here).
/// </summary>
public static class Smoke
{
    public static int Run(IReadOnlyList<string> filters)
    {
        var patterns = filters.Select(f => new Regex("^" + Regex.Escape(f).Replace(@"\*", ".*").Replace(@"\?", ".") + "$")).ToList();
        var types = typeof(Smoke).Assembly.GetTypes()
            .Where(t => t is { IsAbstract: false, IsPublic: true } && t.GetMethods().Any(m => m.GetCustomAttribute<BenchmarkAttribute>() is not null))
            .OrderBy(t => t.FullName, StringComparer.Ordinal);
        int passed = 0, failed = 0;
        var total = Stopwatch.StartNew();
        Console.WriteLine($"smoke run: {Environment.ProcessorCount} thread(s), first value of every parameter, each benchmark body twice");
        foreach (var type in types)
        {
            var methods = type.GetMethods()
                .Where(m => m.GetCustomAttribute<BenchmarkAttribute>() is not null)
                .Where(m => patterns.Count == 0 || patterns.Any(p => p.IsMatch($"{type.FullName}.{m.Name}")))
                .OrderBy(m => m.MetadataToken)
                .ToList();
            if (methods.Count == 0) continue;
            object instance = Activator.CreateInstance(type)!;
            string parameters;
            try
            {
                parameters = SetFirstParameters(type, instance);
                Invoke<GlobalSetupAttribute>(type, instance);
            }
            catch (Exception e)
            {
                Console.WriteLine($"FAILED {type.Name} set-up: {Unwrap(e)}");
                failed += methods.Count;
                continue;
            }
            foreach (var method in methods)
            {
                try
                {
                    var watch = Stopwatch.StartNew();
                    method.Invoke(instance, null);
                    double first = watch.Elapsed.TotalMilliseconds;
                    watch.Restart();
                    method.Invoke(instance, null);
                    double second = watch.Elapsed.TotalMilliseconds;
                    Console.WriteLine($"ok     {type.Name}.{method.Name} [{parameters}]  {first:F2} ms, then {second:F2} ms");
                    passed++;
                }
                catch (Exception e)
                {
                    Console.WriteLine($"FAILED {type.Name}.{method.Name} [{parameters}]: {Unwrap(e)}");
                    failed++;
                }
            }
            try
            {
                Invoke<GlobalCleanupAttribute>(type, instance);
            }
            catch (Exception e)
            {
                Console.WriteLine($"FAILED {type.Name} clean-up: {Unwrap(e)}");
                failed++;
            }
        }
        Console.WriteLine($"smoke run took {total.Elapsed.TotalSeconds:F1} s");
        Console.WriteLine($"smoke: {passed} passed, {failed} failed");
        return failed == 0 && passed > 0 ? 0 : 1;
    }

    private static string SetFirstParameters(Type type, object instance)
    {
        var described = new List<string>();
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            object? value;
            if (property.GetCustomAttribute<ParamsAttribute>() is { } values)
                value = values.Values[0];
            else if (property.GetCustomAttribute<ParamsSourceAttribute>() is { } source)
            {
                var member = type.GetProperty(source.Name, BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.Instance | BindingFlags.FlattenHierarchy);
                var all = (System.Collections.IEnumerable)(member is not null
                    ? member.GetValue(member.GetMethod!.IsStatic ? null : instance)!
                    : type.GetMethod(source.Name, BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.Instance | BindingFlags.FlattenHierarchy)!
                        .Invoke(instance, null)!);
                value = all.Cast<object>().First();
            }
            else continue;
            property.SetValue(instance, value);
            described.Add($"{property.Name}={value}");
        }
        return string.Join(", ", described);
    }

    private static void Invoke<TAttribute>(Type type, object instance) where TAttribute : Attribute
    {
        foreach (var method in type.GetMethods().Where(m => m.GetCustomAttribute<TAttribute>() is not null))
            method.Invoke(instance, null);
    }

    private static string Unwrap(Exception e) => (e is TargetInvocationException { InnerException: { } inner } ? inner : e).ToString();
}
