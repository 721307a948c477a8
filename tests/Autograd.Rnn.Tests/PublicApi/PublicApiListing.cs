using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text;

namespace Autograd.Rnn.Tests.PublicApi;

/// <summary>
/// The public surface of an assembly as sorted text: one line per public type, then one indented line per public or
/// protected member, in C#-like form with parameter names and defaults (both are part of the API: callers use them).
/// </summary>
internal static class PublicApiListing
{
    public static string Of(Assembly assembly)
    {
        var text = new StringBuilder();
        foreach (var type in assembly.GetExportedTypes().OrderBy(t => t.FullName, StringComparer.Ordinal))
        {
            text.Append(TypeLine(type)).Append('\n');
            foreach (var member in Members(type).Order(StringComparer.Ordinal)) text.Append("    ").Append(member).Append('\n');
        }
        return text.ToString();
    }

    private static string TypeLine(Type type)
    {
        string kind = type.IsEnum ? "enum" : type.IsInterface ? "interface" : type.IsValueType ? "struct"
            : typeof(Delegate).IsAssignableFrom(type) ? "delegate" : type.IsAbstract && type.IsSealed ? "static class"
            : type.IsSealed ? "sealed class" : type.IsAbstract ? "abstract class" : "class";
        var bases = new List<string>();
        if (type.BaseType is { } baseType && baseType != typeof(object) && baseType != typeof(ValueType) && baseType != typeof(Enum)
            && baseType != typeof(MulticastDelegate))
            bases.Add(Name(baseType));
        bases.AddRange(type.GetInterfaces().Where(i => i.IsPublic || i.IsNestedPublic).Select(Name).Order(StringComparer.Ordinal));
        return $"{kind} {type.Namespace}.{Name(type)}{(bases.Count > 0 ? " : " + string.Join(", ", bases) : "")}{Constraints(type.GetGenericArguments())}";
    }

    private static IEnumerable<string> Members(Type type)
    {
        const BindingFlags flags = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
        if (type.IsEnum)
        {
            foreach (var field in type.GetFields(BindingFlags.Public | BindingFlags.Static))
                yield return $"{field.Name} = {Convert.ToInt64(field.GetRawConstantValue(), System.Globalization.CultureInfo.InvariantCulture)}";
            yield break;
        }
        foreach (var member in type.GetMembers(flags))
        {
            if (member.Name.StartsWith('<')) continue; // compiler-generated (record clone, backing fields)
            switch (member)
            {
                case ConstructorInfo c when Visible(c) && !type.IsAbstract | !type.IsSealed:
                    yield return $"{Access(c)}.ctor({Parameters(c.GetParameters())})";
                    break;
                case MethodInfo m when Visible(m) && !m.IsSpecialName || m.Name.StartsWith("op_", StringComparison.Ordinal) && Visible(m):
                    yield return $"{Access(m)}{Modifiers(m)}{Name(m.ReturnType)} {m.Name}{Generic(m)}({Parameters(m.GetParameters())}){Constraints(m.GetGenericArguments())}";
                    break;
                case PropertyInfo p when (p.GetMethod is { } get && Visible(get)) || (p.SetMethod is { } set && Visible(set)):
                    var accessor = p.GetMethod ?? p.SetMethod!;
                    string indexer = p.GetIndexParameters() is { Length: > 0 } index ? $"this[{Parameters(index)}]" : p.Name;
                    string setter = p.SetMethod is { } s && Visible(s)
                        ? s.ReturnParameter.GetRequiredCustomModifiers().Contains(typeof(IsExternalInit)) ? " init;" : " set;"
                        : "";
                    yield return $"{Access(accessor)}{Modifiers(accessor)}{Name(p.PropertyType)} {indexer} {{{(p.GetMethod is { } g && Visible(g) ? " get;" : "")}{setter} }}";
                    break;
                case FieldInfo f when f.IsPublic || f.IsFamily || f.IsFamilyOrAssembly:
                    yield return f.IsLiteral
                        ? $"const {Name(f.FieldType)} {f.Name} = {Literal(f.GetRawConstantValue())}"
                        : $"{(f.IsStatic ? "static " : "")}{(f.IsInitOnly ? "readonly " : "")}{Name(f.FieldType)} {f.Name}";
                    break;
                case EventInfo e:
                    yield return $"event {Name(e.EventHandlerType!)} {e.Name}";
                    break;
            }
        }
    }

    private static bool Visible(MethodBase method) => method.IsPublic || method.IsFamily || method.IsFamilyOrAssembly;

    private static string Access(MethodBase method) => method.IsPublic ? "" : "protected ";

    private static string Modifiers(MethodInfo method) =>
        method.IsStatic ? "static " : method.IsAbstract ? "abstract " : method.IsVirtual && !method.IsFinal
            ? method.GetBaseDefinition() == method ? "virtual " : "override " : "";

    private static string Generic(MethodInfo method) =>
        method.IsGenericMethodDefinition ? "<" + string.Join(", ", method.GetGenericArguments().Select(a => a.Name)) + ">" : "";

    private static string Constraints(Type[] arguments)
    {
        var text = new StringBuilder();
        foreach (var argument in arguments.Where(a => a.IsGenericParameter))
        {
            var constraints = new List<string>();
            var attributes = argument.GenericParameterAttributes;
            bool isUnmanaged = argument.CustomAttributes.Any(a => a.AttributeType.Name == "IsUnmanagedAttribute");
            if (attributes.HasFlag(GenericParameterAttributes.NotNullableValueTypeConstraint)) constraints.Add(isUnmanaged ? "unmanaged" : "struct");
            else if (attributes.HasFlag(GenericParameterAttributes.ReferenceTypeConstraint)) constraints.Add("class");
            constraints.AddRange(argument.GetGenericParameterConstraints().Where(c => c != typeof(ValueType)).Select(Name));
            if (attributes.HasFlag(GenericParameterAttributes.DefaultConstructorConstraint) && !attributes.HasFlag(GenericParameterAttributes.NotNullableValueTypeConstraint))
                constraints.Add("new()");
            if (constraints.Count > 0) text.Append($" where {argument.Name} : {string.Join(", ", constraints)}");
        }
        return text.ToString();
    }

    private static string Parameters(ParameterInfo[] parameters) => string.Join(", ", parameters.Select(p =>
    {
        string prefix = p.IsDefined(typeof(ParamArrayAttribute)) ? "params " : p.IsOut ? "out " : p.ParameterType.IsByRef ? p.IsIn ? "in " : "ref " : "";
        string suffix = p.HasDefaultValue ? " = " + Literal(p.DefaultValue) : "";
        return $"{prefix}{Name(p.ParameterType)} {p.Name}{suffix}";
    }));

    private static string Literal(object? value) => value switch
    {
        null => "null",
        string s => $"\"{s}\"",
        bool b => b ? "true" : "false",
        IFormattable f => f.ToString(null, System.Globalization.CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    private static string Name(Type type)
    {
        if (type.IsByRef) return Name(type.GetElementType()!);
        if (type.IsArray) return Name(type.GetElementType()!) + "[" + new string(',', type.GetArrayRank() - 1) + "]";
        if (type.IsGenericParameter) return type.Name;
        if (Nullable.GetUnderlyingType(type) is { } underlying) return Name(underlying) + "?";
        string name = Keyword(type) ?? (type.IsNested ? Name(type.DeclaringType!) + "." : "") + type.Name.Split('`')[0];
        if (!type.IsGenericType) return name;
        var arguments = type.GetGenericArguments();
        int inherited = type.IsNested ? type.DeclaringType!.GetGenericArguments().Length : 0;
        var own = arguments.Skip(inherited).ToArray();
        return own.Length == 0 ? name : name + "<" + string.Join(", ", own.Select(Name)) + ">";
    }

    private static string? Keyword(Type type) =>
        type == typeof(void) ? "void" : type == typeof(int) ? "int" : type == typeof(long) ? "long" : type == typeof(double) ? "double"
        : type == typeof(float) ? "float" : type == typeof(bool) ? "bool" : type == typeof(string) ? "string" : type == typeof(object) ? "object"
        : type == typeof(ulong) ? "ulong" : type == typeof(uint) ? "uint" : type == typeof(byte) ? "byte" : null;
}
