using System.Reflection;
using System.Reflection.Emit;

namespace HpcLearn.Tests.Architecture;

/// <summary>
/// Every type-to-type dependency of the types of one assembly, read from the compiled code:
/// base types, interfaces, attributes, fields, properties, events, method signatures, locals,
/// catch clauses, and the tokens in the IL of every method body. Reading the IL matters: C# lets
/// a body write <c>Training.Learner</c> or <c>Cluster.StopSignals</c> without a using, so a scan
/// of <c>using</c> lines misses them. Constants are inlined by the compiler and leave no trace.
/// </summary>
internal static class TypeDependencies
{
    private const BindingFlags Declared = BindingFlags.DeclaredOnly | BindingFlags.Public | BindingFlags.NonPublic
        | BindingFlags.Instance | BindingFlags.Static;

    /// <summary>Operands that are metadata tokens of a type, field or method.</summary>
    private static readonly HashSet<OperandType> TokenOperands = [OperandType.InlineMethod, OperandType.InlineField, OperandType.InlineType, OperandType.InlineTok];

    /// <summary>Opcodes by value; two-byte opcodes start with 0xFE.</summary>
    private static readonly Dictionary<short, OpCode> OpCodesByValue = typeof(OpCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => (OpCode)f.GetValue(null)!)
        .ToDictionary(o => o.Value);

    /// <summary>
    /// The dependencies between the outermost types of <paramref name="assembly"/> whose namespace
    /// is <paramref name="root"/> or below it, onto types of that same namespace tree (a type's
    /// uses of itself left out), each (from, to, member) once.
    /// </summary>
    public static IReadOnlyList<Dependency> Of(Assembly assembly, string root)
    {
        bool Ours(Type t) => t.Namespace is { } ns && (ns == root || ns.StartsWith(root + ".", StringComparison.Ordinal));
        var found = new HashSet<Dependency>();
        foreach (var type in assembly.GetTypes())
        {
            var from = Outermost(type);
            if (!Ours(from)) continue;
            // A nested type is the member it serves: a state machine <Read>d__5 is method Read, a
            // nested record is itself; closures (<>c, <>c__DisplayClass) name each lambda instead.
            var context = type.DeclaringType is null || type.Name.StartsWith("<>", StringComparison.Ordinal) ? null : MemberName(type.Name);
            void Add(Type? used, string member)
            {
                if ((context ?? MemberName(member)) is not { } name) return;
                foreach (var t in Parts(used))
                {
                    var to = Outermost(t);
                    if (to != from && Ours(to)) found.Add(new Dependency(from, to, name));
                }
            }
            Scan(type, Add);
        }
        return found.OrderBy(d => d.ToString(), StringComparer.Ordinal).ToList();
    }

    private static void Scan(Type type, Action<Type?, string> add)
    {
        add(type.BaseType, "base type");
        foreach (var i in type.GetInterfaces()) add(i, "interface");
        foreach (var a in type.CustomAttributes) AddAttribute(a, "attribute", add);
        foreach (var f in type.GetFields(Declared))
        {
            add(f.FieldType, f.Name);
            foreach (var a in f.CustomAttributes) AddAttribute(a, f.Name, add);
        }
        foreach (var p in type.GetProperties(Declared))
        {
            add(p.PropertyType, p.Name);
            foreach (var a in p.CustomAttributes) AddAttribute(a, p.Name, add);
        }
        foreach (var e in type.GetEvents(Declared)) add(e.EventHandlerType, e.Name);
        foreach (var m in type.GetMethods(Declared).Cast<MethodBase>().Concat(type.GetConstructors(Declared)))
        {
            string name = m.Name;
            if (m is MethodInfo mi) add(mi.ReturnType, name);
            foreach (var a in m.CustomAttributes) AddAttribute(a, name, add);
            foreach (var p in m.GetParameters())
            {
                add(p.ParameterType, name);
                foreach (var a in p.CustomAttributes) AddAttribute(a, name, add);
            }
            if (m.IsGenericMethodDefinition)
                foreach (var g in m.GetGenericArguments())
                    foreach (var c in g.GetGenericParameterConstraints()) add(c, name);
            ScanBody(m, name, add);
        }
        if (type.IsGenericTypeDefinition)
            foreach (var g in type.GetGenericArguments())
                foreach (var c in g.GetGenericParameterConstraints()) add(c, "type constraint");
    }

    private static void AddAttribute(CustomAttributeData a, string member, Action<Type?, string> add)
    {
        add(a.AttributeType, member);
        foreach (var arg in a.ConstructorArguments.Concat(a.NamedArguments.Select(n => n.TypedValue)))
        {
            add(arg.ArgumentType, member);
            if (arg.Value is Type typeOf) add(typeOf, member);
        }
    }

    /// <summary>Locals, catch clauses, and every type, field or method token of the IL.</summary>
    private static void ScanBody(MethodBase method, string member, Action<Type?, string> add)
    {
        var body = method.GetMethodBody();
        if (body is null) return;
        foreach (var local in body.LocalVariables) add(local.LocalType, member);
        foreach (var clause in body.ExceptionHandlingClauses)
            if (clause.Flags == ExceptionHandlingClauseOptions.Clause) add(clause.CatchType, member);
        var il = body.GetILAsByteArray();
        if (il is null) return;
        var module = method.Module;
        var typeArgs = method.DeclaringType is { IsGenericType: true } d ? d.GetGenericArguments() : null;
        var methodArgs = method.IsGenericMethod ? method.GetGenericArguments() : null;
        for (int at = 0; at < il.Length;)
        {
            short value = il[at] == 0xFE ? (short)(0xFE00 | il[at + 1]) : il[at];
            at += il[at] == 0xFE ? 2 : 1;
            var op = OpCodesByValue[value];
            if (TokenOperands.Contains(op.OperandType))
            {
                int token = BitConverter.ToInt32(il, at);
                var resolved = module.ResolveMember(token, typeArgs, methodArgs);
                switch (resolved)
                {
                    case Type t: add(t, member); break;
                    case FieldInfo f: add(f.DeclaringType, member); add(f.FieldType, member); break;
                    case MethodBase m:
                        add(m.DeclaringType, member);
                        if (m.IsGenericMethod) foreach (var g in m.GetGenericArguments()) add(g, member);
                        break;
                }
            }
            at += OperandSize(op.OperandType, il, at);
        }
    }

    private static int OperandSize(OperandType operand, byte[] il, int at) => operand switch
    {
        OperandType.InlineNone => 0,
        OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar => 1,
        OperandType.InlineVar => 2,
        OperandType.InlineI8 or OperandType.InlineR => 8,
        OperandType.InlineSwitch => 4 + 4 * BitConverter.ToInt32(il, at),
        _ => 4,
    };

    /// <summary>
    /// The source member a compiler-generated name stands for: <c>&lt;Read&gt;b__16_0</c> (a lambda in
    /// Read), <c>&lt;Name&gt;k__BackingField</c>, <c>get_Name</c> → the name in the brackets or after the
    /// prefix; null for the static caches of lambdas (<c>&lt;&gt;9__16_0</c>), whose types the lambdas
    /// themselves report; other names as they are.
    /// </summary>
    internal static string? MemberName(string name)
    {
        if (name.StartsWith("<>9", StringComparison.Ordinal)) return null;
        if (name.StartsWith('<') && name.IndexOf('>') is > 1 and var end) return name[1..end];
        foreach (var prefix in (string[])["get_", "set_", "add_", "remove_"])
            if (name.StartsWith(prefix, StringComparison.Ordinal)) return name[prefix.Length..];
        return name;
    }

    /// <summary>The named types a type is built from: itself, its element type, its generic arguments.</summary>
    internal static IEnumerable<Type> Parts(Type? type)
    {
        if (type is null || type.IsGenericParameter) yield break;
        if (type.HasElementType)
        {
            foreach (var t in Parts(type.GetElementType())) yield return t;
            yield break;
        }
        if (type.IsGenericType && !type.IsGenericTypeDefinition)
        {
            yield return type.GetGenericTypeDefinition();
            foreach (var t in type.GetGenericArguments().SelectMany(Parts)) yield return t;
            yield break;
        }
        yield return type;
    }

    private static Type Outermost(Type type)
    {
        while (type.DeclaringType is { } outer) type = outer;
        return type;
    }
}
