using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Grela.Generators.Diagnostics;
using Grela.Generators.Model;
using Grela.Generators.Parsing;
using Grela.Generators.Shapes;
using Grela.Shapes.Grammar;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Grela.Generators.Analysis
{
    /// <summary>
    /// Follows tensor shapes through a layer's Forward body: locals, sublayer calls
    /// (<c>m.Sub.forward(x)</c>, list items), shape-preserving functions, element-wise operators and
    /// the return. Gradual: whatever it does not understand is unknown and not checked. Works on
    /// syntax (the generated Module type does not exist yet, so <c>m.Sub</c> has no symbol).
    /// </summary>
    internal sealed partial class ForwardAnalyzer
    {
        /// <summary>Functions and tensor methods whose result has the shape of their (first) tensor argument.</summary>
        private static readonly HashSet<string> ShapePreserving = new HashSet<string>
        {
            "gelu", "silu", "relu", "relu6", "elu", "selu", "celu", "leaky_relu", "sigmoid", "tanh", "exp", "log", "sqrt", "rsqrt",
            "abs", "neg", "softplus", "softsign", "hardtanh", "hardswish", "mish", "dropout", "softmax", "log_softmax", "square",
            "clone", "contiguous", "detach", "alias", "MoveToOuterDisposeScope", "to", "float", "double", "type", "cpu", "cuda",
            "clamp", "clamp_min", "clamp_max", "pow", "reciprocal", "sign", "cos", "sin", "zeros_like", "ones_like", "rand_like", "randn_like",
            "to_type", "long", "int", "bool", "logical_not", "bitwise_not", "masked_fill", "nan_to_num",
        };

        /// <summary>Binary element-wise functions/methods (broadcasting).</summary>
        private static readonly HashSet<string> Elementwise = new HashSet<string>
        {
            "add", "sub", "mul", "div", "maximum", "minimum", "where", "eq", "ne", "lt", "le", "gt", "ge", "logical_and", "logical_or",
        };

        private readonly Compilation compilation;
        private readonly string layerName;
        private readonly string moduleParameter;
        private readonly Dictionary<string, SubLayerInfo> subs;
        private readonly ISet<string> dims;
        private readonly List<DiagnosticInfo> diagnostics = new List<DiagnosticInfo>();
        private readonly HashSet<string> reported = new HashSet<string>();
        private readonly CancellationToken cancellation;
        private readonly INamedTypeSymbol layerType;
        private readonly Dictionary<SyntaxTree, SemanticModel> models = new Dictionary<SyntaxTree, SemanticModel>();
        private Frame frame = new Frame(isForward: true);
        private int depth;

        /// <summary>Helper methods and lambdas are followed this many calls deep.</summary>
        private const int MaxDepth = 6;

        private ForwardAnalyzer(Compilation compilation, INamedTypeSymbol layerType, string layerName, string moduleParameter,
            Dictionary<string, SubLayerInfo> subs, ISet<string> dims, CancellationToken cancellation)
        {
            this.compilation = compilation;
            this.layerType = layerType;
            this.layerName = layerName;
            this.moduleParameter = moduleParameter;
            this.subs = subs;
            this.dims = dims;
            this.cancellation = cancellation;
        }

        public static IEnumerable<DiagnosticInfo> Analyze(SemanticModel semantic, INamedTypeSymbol type, CancellationToken cancellation)
        {
            var compilation = semantic.Compilation;
            var method = type.GetMembers().OfType<IMethodSymbol>().First(m => m.HasAttribute(KnownNames.ForwardAttribute));
            if (method.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax(cancellation) is not MethodDeclarationSyntax syntax) return Enumerable.Empty<DiagnosticInfo>();
            var dims = new HashSet<string>(type.GetMembers().OfType<IPropertySymbol>()
                .Where(p => p.Type.IsDimType() && type.InstanceConstructors.Any(c => c.Parameters.Any(q => q.Name == p.Name)))
                .Select(p => p.Name));
            var subs = new Dictionary<string, SubLayerInfo>();
            foreach (var property in type.GetMembers().OfType<IPropertySymbol>())
            {
                if (SubLayerInfo.Read(property, compilation, dims, cancellation) is { } info) subs[info.Property] = info;
            }
            var analyzer = new ForwardAnalyzer(compilation, type, type.Name,
                method.Parameters[0].Name, subs, dims, cancellation);
            analyzer.Run(method, syntax);
            return analyzer.diagnostics;
        }

        // ---- values -------------------------------------------------------------------------

        private abstract class Value { }

        private sealed class TensorValue : Value
        {
            public TensorValue(SymShape? shape) => Shape = shape;
            public SymShape? Shape { get; }
        }

        private sealed class SubValue : Value
        {
            public SubValue(SubLayerInfo sub, bool isWholeList) { Sub = sub; IsWholeList = isWholeList; }
            public SubLayerInfo Sub { get; }
            public bool IsWholeList { get; }
        }

        /// <summary>An int or float; <see cref="Dim"/> is its value when it is a width the analysis can read (Dim, x.shape[1], 2).</summary>
        private sealed class ScalarValue : Value
        {
            public ScalarValue(SymDim? dim) => Dim = dim;
            public SymDim? Dim { get; }
        }

        /// <summary>A list of known length: a shape (<c>x.shape</c>), view sizes, or the parts of chunk/split.</summary>
        private sealed class ListValue : Value
        {
            public ListValue(IReadOnlyList<Value?> items) => Items = items;
            public IReadOnlyList<Value?> Items { get; }
        }

        /// <summary>A lambda or a local function, followed at each call with the locals it captured.</summary>
        private sealed class LambdaValue : Value
        {
            public LambdaValue(IReadOnlyList<string> parameters, ExpressionSyntax? expressionBody, BlockSyntax? block, Env captured)
            {
                Parameters = parameters;
                ExpressionBody = expressionBody;
                Block = block;
                Captured = captured;
            }

            public IReadOnlyList<string> Parameters { get; }
            public ExpressionSyntax? ExpressionBody { get; }
            public BlockSyntax? Block { get; }
            public Env Captured { get; }

            public static LambdaValue Of(AnonymousFunctionExpressionSyntax syntax, Env captured) =>
                new LambdaValue(
                    syntax switch
                    {
                        SimpleLambdaExpressionSyntax simple => new[] { simple.Parameter.Identifier.ValueText },
                        ParenthesizedLambdaExpressionSyntax list => list.ParameterList.Parameters.Select(p => p.Identifier.ValueText).ToArray(),
                        _ => new string[0],
                    },
                    syntax.ExpressionBody, syntax.Block, captured);

            public static LambdaValue Of(LocalFunctionStatementSyntax syntax, Env captured) =>
                new LambdaValue(syntax.ParameterList.Parameters.Select(p => p.Identifier.ValueText).ToArray(), syntax.ExpressionBody?.Expression, syntax.Body, captured);
        }

        private sealed class TupleValue : Value
        {
            public TupleValue(IReadOnlyList<Value?> items) => Items = items;
            public IReadOnlyList<Value?> Items { get; }
        }

        /// <summary>The method body being followed: Forward itself, or a helper/lambda it calls.</summary>
        private sealed class Frame
        {
            public Frame(bool isForward) => IsForward = isForward;
            public bool IsForward { get; }
            public List<Value?> Returns { get; } = new List<Value?>();

            public Value? Result() =>
                Returns.Count == 0 ? null : Returns.Skip(1).Aggregate(Returns[0], Join);
        }

        private sealed class ModuleValue : Value { }

        /// <summary><c>m.Sub.Spec</c>: the sublayer's record, whose methods with [Shape]s are composition steps.</summary>
        private sealed class SpecValue : Value
        {
            public SpecValue(SubLayerInfo sub) => Sub = sub;
            public SubLayerInfo Sub { get; }
        }

        private static readonly Value Scalar = new ScalarValue(null);
        private static readonly Value UnknownTensor = new TensorValue(null);

        private sealed class Env
        {
            public Dictionary<string, Value?> Locals { get; } = new Dictionary<string, Value?>();
            public Env Clone()
            {
                var e = new Env();
                foreach (var kv in Locals) e.Locals[kv.Key] = kv.Value;
                return e;
            }
        }

        private ParsedPattern? returnPattern;
        private DimOrigin? returnOrigin;

        // ---- driver -------------------------------------------------------------------------

        private void Run(IMethodSymbol method, MethodDeclarationSyntax syntax)
        {
            var env = new Env();
            env.Locals[moduleParameter] = new ModuleValue();
            foreach (var p in method.Parameters.Skip(1))
            {
                var shape = p.Attribute(KnownNames.ShapeAttribute);
                var pattern = PatternParser.Parse(shape?.StringArgument());
                if (pattern is not null && LocationInfo.From(shape!.AttributeLocation()) is { } where)
                {
                    env.Locals[p.Name] = new TensorValue(ShapeAlgebra.FromOwnPattern(pattern, new DimOrigin(where, "[Shape] of '" + p.Name + "'", false)));
                }
                else
                {
                    env.Locals[p.Name] = p.Type.IsTensor() ? UnknownTensor : Scalar;
                }
            }
            var returnShape = method.ReturnAttribute(KnownNames.ShapeAttribute);
            returnPattern = PatternParser.Parse(returnShape?.StringArgument());
            if (LocationInfo.From(returnShape?.AttributeLocation()) is { } rw) returnOrigin = new DimOrigin(rw, "[return: Shape]", false);

            if (syntax.ExpressionBody is { } arrow) Return(arrow.Expression, env);
            else if (syntax.Body is { } body) Block(body.Statements, env);
        }

        private void Block(IEnumerable<StatementSyntax> statements, Env env)
        {
            foreach (var s in statements) Statement(s, env);
        }

        private void Statement(StatementSyntax statement, Env env)
        {
            cancellation.ThrowIfCancellationRequested();
            switch (statement)
            {
                case BlockSyntax b:
                    Block(b.Statements, env);
                    return;
                case LocalDeclarationStatementSyntax d:
                    foreach (var v in d.Declaration.Variables) env.Locals[v.Identifier.ValueText] = v.Initializer is null ? null : Eval(v.Initializer.Value, env);
                    return;
                case ExpressionStatementSyntax e:
                    Eval(e.Expression, env);
                    return;
                case LocalFunctionStatementSyntax local:
                    // Captures the locals as they are where it is declared (it is called after, in the blocks we read).
                    env.Locals[local.Identifier.ValueText] = LambdaValue.Of(local, env);
                    return;
                case ReturnStatementSyntax r when r.Expression is not null:
                    Return(r.Expression, env);
                    return;
                case UsingStatementSyntax u:
                    if (u.Declaration is not null) foreach (var v in u.Declaration.Variables) env.Locals[v.Identifier.ValueText] = v.Initializer is null ? null : Eval(v.Initializer.Value, env);
                    Statement(u.Statement, env);
                    return;
                case IfStatementSyntax i:
                    {
                        Eval(i.Condition, env);
                        var then = env.Clone();
                        Statement(i.Statement, then);
                        var otherwise = env.Clone();
                        if (i.Else is not null) Statement(i.Else.Statement, otherwise);
                        Merge(env, then, otherwise);
                        return;
                    }
                case ForEachStatementSyntax f:
                    {
                        var source = Eval(f.Expression, env);
                        var before = env.Clone();
                        env.Locals[f.Identifier.ValueText] = source is SubValue { IsWholeList: true } list ? new SubValue(list.Sub, false) : null;
                        Statement(f.Statement, env);
                        Merge(env, before, env.Clone());
                        return;
                    }
                case ForStatementSyntax f:
                    {
                        if (f.Declaration is not null) foreach (var v in f.Declaration.Variables) env.Locals[v.Identifier.ValueText] = Scalar;
                        var before = env.Clone();
                        Statement(f.Statement, env);
                        foreach (var inc in f.Incrementors) Eval(inc, env);
                        Merge(env, before, env.Clone());
                        return;
                    }
                default:
                    // Not understood: whatever it assigns becomes unknown.
                    foreach (var a in statement.DescendantNodes().OfType<AssignmentExpressionSyntax>())
                    {
                        if (a.Left is IdentifierNameSyntax id) env.Locals[id.Identifier.ValueText] = null;
                    }
                    return;
            }
        }

        /// <summary>After a branch or a loop: a local keeps its shape only if both paths agree.</summary>
        private static void Merge(Env target, Env a, Env b)
        {
            foreach (var key in a.Locals.Keys.Union(b.Locals.Keys).ToList())
            {
                a.Locals.TryGetValue(key, out var x);
                b.Locals.TryGetValue(key, out var y);
                target.Locals[key] = Join(x, y);
            }
        }

        private static bool Same(Value? x, Value? y) =>
            ReferenceEquals(x, y)
            || (x is TensorValue { Shape: { } a } && y is TensorValue { Shape: { } b } && a.SameAs(b))
            || (x is ScalarValue sx && y is ScalarValue sy && Equals(sx.Dim?.Value, sy.Dim?.Value));

        /// <summary>What a value is after two paths meet: kept where they agree, otherwise unknown of its kind.</summary>
        private static Value? Join(Value? x, Value? y) =>
            Same(x, y) ? x
            : x is TensorValue || y is TensorValue ? UnknownTensor
            : x is ScalarValue && y is ScalarValue ? Scalar
            : null;

        private void Return(ExpressionSyntax expression, Env env)
        {
            var value = Eval(expression, env);
            frame.Returns.Add(value);
            if (!frame.IsForward || returnPattern is null || value is not TensorValue { Shape: { } shape }) return;
            var match = ShapeAlgebra.Match(returnPattern, shape, OwnDims());
            var step = LocationInfo.From(expression)!;
            if (match.RankError is { } rank)
            {
                Report(DiagnosticDescriptors.RankMismatch, step, null, "[return: Shape] of '" + layerName + "'", match.ExpectedText, rank.Expected, shape.ToString(), rank.Actual);
            }
            foreach (var c in match.Conflicts)
            {
                Report(DiagnosticDescriptors.ReturnShapeMismatch, step, c, layerName, shape.ToString(), match.ExpectedText, c.Actual.Describe(), c.Expected.Describe());
            }
        }

        private IReadOnlyDictionary<string, SymDim> OwnDims()
        {
            var d = new Dictionary<string, SymDim>();
            foreach (var name in dims) d[name] = new SymDim(Poly.Symbol(name), name, returnOrigin);
            // Glossary dims of the caller are rigid symbols too (they were bound by its own [Shape]s).
            foreach (var name in KnownNames.Glossary.Where(g => !dims.Contains(g))) d[name] = new SymDim(Poly.Symbol(name), name, returnOrigin);
            return d;
        }

        // ---- expressions --------------------------------------------------------------------

        private Value? Eval(ExpressionSyntax expression, Env env)
        {
            switch (expression)
            {
                case ParenthesizedExpressionSyntax p:
                    return Eval(p.Expression, env);
                case CastExpressionSyntax c:
                    return Eval(c.Expression, env);
                case PostfixUnaryExpressionSyntax pu when pu.IsKind(SyntaxKind.SuppressNullableWarningExpression):
                    return Eval(pu.Operand, env);
                case PrefixUnaryExpressionSyntax u when u.IsKind(SyntaxKind.UnaryMinusExpression) || u.IsKind(SyntaxKind.UnaryPlusExpression):
                    {
                        var operand = Eval(u.Operand, env);
                        if (operand is not ScalarValue number || u.IsKind(SyntaxKind.UnaryPlusExpression)) return operand;
                        return number.Dim?.Value is { } p ? new ScalarValue(new SymDim(p.Negate(), p.Negate().ToString(), null)) : Scalar;
                    }
                case AnonymousFunctionExpressionSyntax lambda:
                    return LambdaValue.Of(lambda, env);
                case TupleExpressionSyntax tuple:
                    return new TupleValue(tuple.Arguments.Select(a => Eval(a.Expression, env)).ToList());
                case AssignmentExpressionSyntax { Left: DeclarationExpressionSyntax { Designation: ParenthesizedVariableDesignationSyntax names } } deconstruct:
                    {
                        var value = Eval(deconstruct.Right, env);
                        Deconstruct(names, value, env);
                        return value;
                    }
                case AssignmentExpressionSyntax { Left: TupleExpressionSyntax targets } deconstructExisting:
                    {
                        var value = Eval(deconstructExisting.Right, env);
                        for (var i = 0; i < targets.Arguments.Count; i++)
                        {
                            var item = value is TupleValue t && i < t.Items.Count ? t.Items[i] : null;
                            if (targets.Arguments[i].Expression is IdentifierNameSyntax n) env.Locals[n.Identifier.ValueText] = item;
                            else if (targets.Arguments[i].Expression is DeclarationExpressionSyntax { Designation: SingleVariableDesignationSyntax v }) env.Locals[v.Identifier.ValueText] = item;
                        }
                        return value;
                    }
                case LiteralExpressionSyntax l:
                    return l.IsKind(SyntaxKind.NumericLiteralExpression) ? Number(l) : null;
                case IdentifierNameSyntax id:
                    {
                        var name = id.Identifier.ValueText;
                        if (env.Locals.TryGetValue(name, out var v)) return v;
                        return IsNumeric(expression) ? Number(expression) : null;
                    }
                case AssignmentExpressionSyntax a:
                    {
                        var value = a.IsKind(SyntaxKind.SimpleAssignmentExpression) ? Eval(a.Right, env) : Binary(a, a.Left, a.Right, OpOf(a.Kind()), env);
                        if (a.Left is IdentifierNameSyntax target) env.Locals[target.Identifier.ValueText] = value;
                        return value;
                    }
                case BinaryExpressionSyntax b when OpOf(b.Kind()) is { } op:
                    return Binary(b, b.Left, b.Right, op, env);
                case SwitchExpressionSyntax sw:
                    {
                        Eval(sw.GoverningExpression, env);
                        var arms = sw.Arms.Select(a => Eval(a.Expression, env)).ToList();
                        return arms.Count == 0 ? null : arms.Skip(1).Aggregate(arms[0], Join);
                    }
                case ConditionalExpressionSyntax c:
                    {
                        Eval(c.Condition, env);
                        // `cond ? t : null` (an optional tensor): where it is a tensor it has t's shape.
                        if (c.WhenFalse.IsKind(SyntaxKind.NullLiteralExpression)) return Eval(c.WhenTrue, env);
                        if (c.WhenTrue.IsKind(SyntaxKind.NullLiteralExpression)) return Eval(c.WhenFalse, env);
                        return Join(Eval(c.WhenTrue, env), Eval(c.WhenFalse, env));
                    }
                case MemberAccessExpressionSyntax ma:
                    return Member(ma, env);
                case ElementAccessExpressionSyntax ea:
                    return ElementAccess(ea, env);
                case CollectionExpressionSyntax collection:
                    return Collection(collection.Elements, env);
                case ArrayCreationExpressionSyntax { Initializer: { } items }:
                    return ListOf(items.Expressions, env);
                case ImplicitArrayCreationExpressionSyntax array:
                    return ListOf(array.Initializer.Expressions, env);
                case InvocationExpressionSyntax call:
                    return Invocation(call, env);
                default:
                    return IsNumeric(expression) ? Number(expression) : null;
            }
        }

        private static void Deconstruct(ParenthesizedVariableDesignationSyntax names, Value? value, Env env)
        {
            for (var i = 0; i < names.Variables.Count; i++)
            {
                var item = value is TupleValue t && i < t.Items.Count ? t.Items[i] : null;
                switch (names.Variables[i])
                {
                    case SingleVariableDesignationSyntax v:
                        env.Locals[v.Identifier.ValueText] = item;
                        break;
                    case ParenthesizedVariableDesignationSyntax nested:
                        Deconstruct(nested, item, env);
                        break;
                }
            }
        }

        private bool IsNumeric(ExpressionSyntax expression)
        {
            var type = ModelFor(expression).GetTypeInfo(expression, cancellation).Type;
            return type is not null && type.SpecialType is SpecialType.System_Int32 or SpecialType.System_Int64 or SpecialType.System_Double or SpecialType.System_Single;
        }

        private SemanticModel ModelFor(SyntaxNode node)
        {
            if (!models.TryGetValue(node.SyntaxTree, out var m)) models[node.SyntaxTree] = m = compilation.GetSemanticModel(node.SyntaxTree);
            return m;
        }

        private static char? OpOf(SyntaxKind kind) => kind switch
        {
            SyntaxKind.AddExpression or SyntaxKind.AddAssignmentExpression => '+',
            SyntaxKind.SubtractExpression or SyntaxKind.SubtractAssignmentExpression => '-',
            SyntaxKind.MultiplyExpression or SyntaxKind.MultiplyAssignmentExpression => '*',
            SyntaxKind.DivideExpression or SyntaxKind.DivideAssignmentExpression => '/',
            _ => null,
        };

        private Value? Member(MemberAccessExpressionSyntax access, Env env)
        {
            var receiver = Eval(access.Expression, env);
            var name = access.Name.Identifier.ValueText;
            if (receiver is ModuleValue)
            {
                if (subs.TryGetValue(name, out var sub)) return new SubValue(sub, sub.IsList);
                return UnknownTensor; // a buffer or parameter: a tensor of undeclared shape
            }
            if (receiver is TupleValue tuple && name.StartsWith("Item", System.StringComparison.Ordinal)
                && int.TryParse(name.Substring(4), out var index) && index >= 1 && index <= tuple.Items.Count)
            {
                return tuple.Items[index - 1];
            }
            if (receiver is TensorValue { Shape: var shape } && name == "shape") return ShapeList(shape);
            if (receiver is SubValue { IsWholeList: false } spec && name == "Spec") return new SpecValue(spec.Sub);
            if (receiver is SubValue { IsWholeList: false } leaf && leaf.Sub.Parameters.TryGetValue(name, out var parameter))
                return new TensorValue(ShapeAlgebra.Instantiate(parameter, leaf.Sub.Arguments, new MatchResult()));
            return IsNumeric(access) ? Number(access) : null;
        }

        private Value? Binary(ExpressionSyntax node, ExpressionSyntax leftSyntax, ExpressionSyntax rightSyntax, char? op, Env env)
        {
            var left = Eval(leftSyntax, env);
            var right = Eval(rightSyntax, env);
            if (op is null) return null;
            return Combine(node, left, right, op);
        }

        private Value? Combine(SyntaxNode node, Value? left, Value? right, char? op = null)
        {
            if (left is ScalarValue { Dim.Value: { } x } && right is ScalarValue { Dim.Value: { } y } && op is { } o)
            {
                var value = ShapeAlgebra.Combine(o, x, y);
                return new ScalarValue(new SymDim(value, value.ToString(), null));
            }
            if (left is ScalarValue && right is ScalarValue) return Scalar;
            if (left is TensorValue lt && right is ScalarValue) return lt;
            if (left is ScalarValue && right is TensorValue rt) return rt;
            if (left is TensorValue { Shape: { } a } && right is TensorValue { Shape: { } b })
            {
                var (conflicts, result) = ShapeAlgebra.Broadcast(a, b);
                var step = LocationInfo.From(node)!;
                foreach (var c in conflicts)
                {
                    Report(DiagnosticDescriptors.BroadcastMismatch, step, c, a.ToString(), b.ToString(), c.Expected.Describe(), c.Actual.Describe());
                }
                return new TensorValue(result);
            }
            return left is TensorValue || right is TensorValue ? UnknownTensor : null;
        }

        private Value? Invocation(InvocationExpressionSyntax call, Env env)
        {
            var args = call.ArgumentList.Arguments;
            if (call.Expression is MemberAccessExpressionSyntax member)
            {
                var method = member.Name.Identifier.ValueText;
                var receiver = Eval(member.Expression, env);
                if (receiver is SubValue { IsWholeList: false } sub && (method == "forward" || method == "call"))
                {
                    return SubCall(call, sub.Sub, args, env);
                }
                if (receiver is TensorValue tensor)
                {
                    var values = Arguments(args, env);
                    var kind = InPlaceBase(method);
                    if (Elementwise.Contains(kind) && values.Count >= 1) return Combine(call, tensor, values[0].Value);
                    if (ShapePreserving.Contains(kind)) return tensor;
                    if (TensorOp(call, kind, tensor, values, out var result)) return result;
                    return StopsHere(call, method, tensor);
                }
                if (receiver is SpecValue spec && SpecMethod(spec.Sub, method) is { } specMethod)
                {
                    return ShapedCall(call, specMethod, Arguments(args, env), spec.Sub.Arguments, "'" + spec.Sub.Name + "' " + spec.Sub.TypeName + "." + method);
                }
                // The module's forwarding method of a [Shape]d record method (m.Attn.ForwardAt(u, mask, positions)):
                // the record method's signature with the module argument left out (and its defaults kept).
                if (receiver is SubValue { IsWholeList: false } owner && method != "forward" && SpecMethod(owner.Sub, method) is { } wrapped
                    && args.Count + 1 <= wrapped.Parameters.Length && wrapped.Parameters.Skip(args.Count + 1).All(p => p.HasExplicitDefaultValue))
                {
                    var withModule = new[] { new Arg(null, new ModuleValue(), SyntaxFactory.Argument(SyntaxFactory.IdentifierName(moduleParameter))) }.Concat(Arguments(args, env)).ToList();
                    return ShapedCall(call, wrapped, withModule, owner.Sub.Arguments, "'" + owner.Sub.Name + "' " + owner.Sub.TypeName + "." + method);
                }
                if (receiver is SubValue || receiver is ModuleValue || receiver is SpecValue)
                {
                    foreach (var a in args) Eval(a.Expression, env);
                    return null;
                }
                if (member.Expression is ThisExpressionSyntax && HelperMethod(method, args) is { } helper) return Inline(helper, args, env);
                if (receiver is LambdaValue invoked && method == "Invoke") return InvokeLambda(invoked, args, env);
                // A static function called through its class (torch.nn.functional.gelu(x), F.silu(x)).
                return Function(call, method, args, env);
            }
            if (call.Expression is IdentifierNameSyntax fn)
            {
                var name = fn.Identifier.ValueText;
                if (env.Locals.TryGetValue(name, out var local) && local is LambdaValue lambda) return InvokeLambda(lambda, args, env);
                if (HelperMethod(name, args) is { } helper) return Inline(helper, args, env);
                return Function(call, name, args, env);
            }
            foreach (var a in args) Eval(a.Expression, env);
            return IsNumeric(call) ? Scalar : null;
        }

        /// <summary>A method of the record itself, declared in source, that takes these arguments.</summary>
        private IMethodSymbol? HelperMethod(string name, SeparatedSyntaxList<ArgumentSyntax> args)
        {
            var candidates = layerType.GetMembers(name).OfType<IMethodSymbol>()
                .Where(m => m.Parameters.Length >= args.Count && m.Parameters.Skip(args.Count).All(p => p.IsOptional) && !m.IsGenericMethod)
                .ToList();
            if (candidates.Count != 1) return null;
            return candidates[0].DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax(cancellation) is MethodDeclarationSyntax ? candidates[0] : null;
        }

        /// <summary>
        /// Follows a helper method of the record with its parameters bound to the argument values. A
        /// helper parameter with a [Shape] is a composition step too: the argument is checked against
        /// it (so a width that only reaches view/reshape inside the helper is still checked).
        /// </summary>
        private Value? Inline(IMethodSymbol symbol, SeparatedSyntaxList<ArgumentSyntax> args, Env env)
        {
            var method = (MethodDeclarationSyntax)symbol.DeclaringSyntaxReferences[0].GetSyntax(cancellation);
            var values = args.Select(a => Eval(a.Expression, env)).ToList();
            if (depth >= MaxDepth) return null;
            var callee = new Env();
            var parameters = method.ParameterList.Parameters;
            for (var i = 0; i < parameters.Count; i++)
            {
                var name = parameters[i].Identifier.ValueText;
                var byName = args.ToList().FindIndex(a => a.NameColon?.Name.Identifier.ValueText == name);
                var index = byName >= 0 ? byName : (i < args.Count && args[i].NameColon is null ? i : -1);
                callee.Locals[name] = index >= 0 ? values[index] : null;
                if (index >= 0 && i < symbol.Parameters.Length) CheckHelperArgument(symbol, symbol.Parameters[i], args[index], values[index]);
            }
            var followed = Follow(callee, method.ExpressionBody?.Expression, method.Body);
            // A helper the analysis cannot see through still promises its declared result.
            if (followed is TensorValue { Shape: not null } || PatternParser.Parse(symbol.ReturnAttribute(KnownNames.ShapeAttribute)?.StringArgument()) is not { } declared)
                return followed;
            var hyper = OwnDims().ToDictionary(d => d.Key, d => d.Value);
            for (var i = 0; i < symbol.Parameters.Length && i < values.Count; i++)
            {
                if (symbol.Parameters[i].Type.IsDimType() && values[i] is ScalarValue { Dim: { } d }) hyper[symbol.Parameters[i].Name] = d;
            }
            return new TensorValue(ShapeAlgebra.Instantiate(declared, hyper, new MatchResult()));
        }

        private void CheckHelperArgument(IMethodSymbol helper, IParameterSymbol parameter, ArgumentSyntax argument, Value? value)
        {
            var pattern = PatternParser.Parse(parameter.Attribute(KnownNames.ShapeAttribute)?.StringArgument());
            if (pattern is null || value is not TensorValue { Shape: { } shape }) return;
            CheckArgument("helper '" + helper.Name + "' " + parameter.Name, pattern, shape, OwnDims(), null, LocationInfo.From(argument.Expression)!);
        }

        /// <summary>
        /// One composition step: a tensor of this shape passed where a callee (sublayer, helper, tensor
        /// function) declares this pattern. Reports GRELA001 on a rank error or a dim conflict.
        /// </summary>
        private MatchResult CheckArgument(string who, ParsedPattern pattern, SymShape shape, IReadOnlyDictionary<string, SymDim> hyper,
            IDictionary<string, SymDim>? bindings, LocationInfo step)
        {
            var match = ShapeAlgebra.Match(pattern, shape, hyper, bindings);
            if (match.RankError is { } rank)
                Report(DiagnosticDescriptors.RankMismatch, step, null, who, match.ExpectedText, rank.Expected, shape.ToString(), rank.Actual);
            foreach (var c in match.Conflicts)
            {
                Report(DiagnosticDescriptors.DimensionMismatch, step, c, who, match.ExpectedText, shape.ToString(), c.Actual.Describe(), c.Expected.Describe());
            }
            return match;
        }

        private Value? InvokeLambda(LambdaValue lambda, SeparatedSyntaxList<ArgumentSyntax> args, Env env)
        {
            var values = args.Select(a => Eval(a.Expression, env)).ToList();
            if (depth >= MaxDepth) return null;
            var callee = lambda.Captured.Clone();
            var parameters = lambda.Parameters;
            for (var i = 0; i < parameters.Count; i++) callee.Locals[parameters[i]] = i < values.Count ? values[i] : null;
            return Follow(callee, lambda.ExpressionBody, lambda.Block);
        }

        private Value? Follow(Env env, ExpressionSyntax? expressionBody, BlockSyntax? body)
        {
            var saved = frame;
            frame = new Frame(isForward: false);
            depth++;
            try
            {
                if (expressionBody is not null) Return(expressionBody, env);
                else if (body is not null) Block(body.Statements, env);
                return frame.Result();
            }
            finally
            {
                depth--;
                frame = saved;
            }
        }

        private Value? Function(InvocationExpressionSyntax call, string name, SeparatedSyntaxList<ArgumentSyntax> args, Env env)
        {
            var arguments = Arguments(args, env);
            var values = arguments.Select(a => a.Value).ToList();
            if (ShapedFunction(call) is { } shaped) return ShapedCall(call, shaped, arguments);
            if (name == "einsum" && args.Count >= 1)
            {
                var spec = ModelFor(call).GetConstantValue(args[0].Expression, cancellation) is { HasValue: true, Value: string text } ? text : null;
                var operands = values.Skip(1).ToList();
                return Einsum(call, spec, operands.Count == 1 && operands[0] is ListValue list ? list.Items : operands);
            }
            if (values.Count >= 1 && values[0] is TensorValue first)
            {
                if (Elementwise.Contains(name) && values.Count >= 2 && name != "where") return Combine(call, first, values[1]);
                if (ShapePreserving.Contains(name)) return first;
                if (TensorOp(call, name, first, arguments.Skip(1).ToList(), out var result)) return result;
                return StopsHere(call, name, first);
            }
            if (values.Count >= 1 && values[0] is ListValue parts && ListOp(call, name, parts, arguments.Skip(1).ToList(), out var joined)) return joined;
            return IsNumeric(call) ? Number(call) : (values.Any(v => v is TensorValue) ? UnknownTensor : null);
        }

        private Value? SubCall(InvocationExpressionSyntax call, SubLayerInfo sub, SeparatedSyntaxList<ArgumentSyntax> args, Env env)
        {
            var values = args.Select(a => Eval(a.Expression, env)).ToList();
            var bindings = new Dictionary<string, SymDim>();
            MatchResult? last = null;
            for (var i = 0; i < values.Count && i < sub.Inputs.Count; i++)
            {
                var (paramName, pattern) = sub.Inputs[i];
                if (pattern is null || values[i] is not TensorValue { Shape: { } shape }) continue;
                var match = CheckArgument("'" + sub.Name + "' (" + sub.TypeName + ") " + paramName, pattern, shape, sub.Arguments, bindings, LocationInfo.From(args[i].Expression)!);
                foreach (var b in match.Bindings) bindings[b.Key] = b.Value;
                last = match;
            }
            if (sub.Output is null) return UnknownTensor;
            var result = last ?? new MatchResult();
            foreach (var b in bindings) result.Bindings[b.Key] = b.Value;
            var output = new TensorValue(ShapeAlgebra.Instantiate(sub.Output, sub.Arguments, result));
            if (sub.State is null) return output;
            return new TupleValue(new Value?[] { output, new TensorValue(ShapeAlgebra.Instantiate(sub.State, sub.Arguments, result)) });
        }

        // ---- reporting ----------------------------------------------------------------------

        /// <summary>
        /// Reports at each end of the conflict that is a sublayer's construction argument (so an edit to
        /// either declaration is flagged on its own line), and at the composition step unless both
        /// ends were flagged.
        /// </summary>
        /// <remarks>
        /// The descriptor's template owns the text; its last slot takes " [composed at line N]" where
        /// the diagnostic is not at the composition step itself.
        /// </remarks>
        private void Report(DiagnosticDescriptor descriptor, LocationInfo step, DimConflict? conflict, params string[] arguments)
        {
            var places = new List<LocationInfo>();
            if (conflict is not null)
            {
                foreach (var origin in new[] { conflict.Actual.Origin, conflict.Expected.Origin })
                {
                    if (origin is { IsConstructionArgument: true } && !places.Contains(origin.Location)) places.Add(origin.Location);
                }
            }
            if (places.Count < 2 && !places.Contains(step)) places.Add(step);
            foreach (var where in places)
            {
                var all = arguments.Concat(new[] { where.Equals(step) ? "" : " [composed at " + step.LineText + "]" }).ToArray();
                if (reported.Add(descriptor.Id + "|" + where.Span + "|" + string.Join("|", all))) diagnostics.Add(DiagnosticInfo.Create(descriptor, where, all));
            }
        }
    }
}
