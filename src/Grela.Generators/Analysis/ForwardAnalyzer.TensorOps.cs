using System.Collections.Generic;
using System.Linq;
using Grela.Generators.Diagnostics;
using Grela.Generators.Model;
using Grela.Generators.Shapes;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Grela.Generators.Analysis
{
    /// <summary>
    /// Tensor operations that move, split, join or reduce dims, followed symbolically:
    /// view/reshape/flatten (element counts must agree, one -1 inferred), transpose/permute,
    /// unsqueeze/squeeze, select/narrow/index_select/chunk/split on an axis, gather, expand, cat/stack,
    /// matmul/bmm, einsum with a constant spec, reductions over constant axes and scans. An op whose
    /// axis or sizes are not constants the analysis can read gives an unknown result, never a guess.
    /// </summary>
    internal sealed partial class ForwardAnalyzer
    {
        private bool TensorOp(SyntaxNode call, string name, TensorValue self, IReadOnlyList<Arg> args, out Value? result)
        {
            result = null;
            var shape = self.Shape;
            switch (name)
            {
                case "size" when args.Count == 1:
                    result = shape is not null && IntOf(args[0].Value) is { } sizeAxis && Axis(shape, sizeAxis) is { } sizeAt
                        ? new ScalarValue(shape.Items[sizeAt].Dim) : Scalar;
                    return true;
                case "view":
                case "reshape":
                    result = Reshape(call, name, self, args.Count == 1 && args[0].Value is ListValue sizes ? sizes.Items : args.Select(a => a.Value).ToList(),
                        args.Count == 1 && args[0].Value is not ListValue && args[0].Value is not ScalarValue);
                    return true;
                case "view_as":
                case "reshape_as":
                case "expand_as":
                    result = ArgAt(args, 0, "other") is TensorValue other ? other : UnknownTensor;
                    return true;
                case "flatten":
                    result = Flatten(call, self, IntOf(ArgAt(args, 0, "start_dim", Constant(0))), IntOf(ArgAt(args, 1, "end_dim", Constant(-1))));
                    return true;
                case "transpose":
                case "swapaxes":
                case "swapdims":
                    result = Transpose(call, name, self, IntOf(ArgAt(args, 0, "dim0")), IntOf(ArgAt(args, 1, "dim1")));
                    return true;
                case "permute":
                    result = Permute(call, self, args.Count == 1 && args[0].Value is ListValue order ? order.Items : args.Select(a => a.Value).ToList());
                    return true;
                case "unsqueeze":
                    result = Unsqueeze(call, self, IntOf(ArgAt(args, 0, "dim")));
                    return true;
                case "squeeze":
                    result = Squeeze(call, self, args.Count == 0 ? null : IntOf(ArgAt(args, 0, "dim")), args.Count == 0);
                    return true;
                case "select":
                    result = Select(call, self, IntOf(ArgAt(args, 0, "dim")));
                    return true;
                case "narrow":
                    result = Narrow(call, self, IntOf(ArgAt(args, 0, "dim")), ArgAt(args, 2, "length"));
                    return true;
                case "chunk":
                    result = Chunk(self, IntOf(ArgAt(args, 0, "chunks")), IntOf(ArgAt(args, 1, "dim", Constant(0))));
                    return true;
                case "split":
                    result = Split(call, self, ArgAt(args, 0, "split_size"), IntOf(ArgAt(args, 1, "dim", Constant(0))));
                    return true;
                case "cumsum":
                case "cumprod":
                case "logcumsumexp":
                    // A scan keeps the shape along whichever axis it runs.
                    result = self;
                    return true;
                case "sum":
                case "nansum":
                case "mean":
                case "nanmean":
                case "prod":
                case "amax":
                case "amin":
                case "logsumexp":
                    result = Reduce(call, name, self, args);
                    return true;
                case "index_select":
                    result = IndexSelect(call, self, IntOf(ArgAt(args, 0, "dim")), ArgAt(args, 1, "index"));
                    return true;
                case "gather":
                    result = Gather(call, self, ArgAt(args, 1, "index"));
                    return true;
                case "expand":
                    var sizeArgs = args.Where(a => a.Name is not ("isImplicit" or "implicit")).ToList();
                    result = Expand(call, self, sizeArgs.Count == 1 && sizeArgs[0].Value is ListValue expandTo ? expandTo.Items : sizeArgs.Select(a => a.Value).ToList());
                    return true;
                case "matmul":
                case "bmm":
                case "mm":
                    result = ArgAt(args, 0, "other") is TensorValue right ? MatMul(call, name, self, right) : UnknownTensor;
                    return true;
                default:
                    return false;
            }
        }

        /// <summary>torch.cat / torch.stack over a list of tensors.</summary>
        private bool ListOp(SyntaxNode call, string name, ListValue parts, IReadOnlyList<Arg> args, out Value? result)
        {
            result = null;
            if (name is not ("cat" or "concat" or "concatenate" or "stack")) return false;
            var axis = IntOf(ArgAt(args, 0, "dim", Constant(0)));
            var shapes = parts.Items.Select(p => p is TensorValue { Shape: { RestIndex: < 0 } s } ? s : null).ToList();
            if (axis is null || shapes.Count == 0 || shapes.Any(s => s is null))
            {
                var known = parts.Items.OfType<TensorValue>().FirstOrDefault(t => t.Shape is not null);
                result = known is null ? UnknownTensor : StopsHere(call, name, known);
                return true;
            }
            var first = shapes[0]!;
            var stack = name == "stack";
            var step = LocationInfo.From(call)!;
            if (shapes.FirstOrDefault(s => s!.Items.Count != first.Items.Count) is { } otherRank)
            {
                Report(DiagnosticDescriptors.RankMismatch, step, null, name + " (like its first operand)", first.ToString(), RankMismatch.Exactly(first.Items.Count),
                    otherRank.ToString(), RankMismatch.Exactly(otherRank.Items.Count));
                result = UnknownTensor;
                return true;
            }
            if ((stack ? Axis(first, axis.Value, 1) : Axis(first, axis.Value)) is not { } at)
            {
                result = UnknownTensor;
                return true;
            }
            foreach (var other in shapes.Skip(1))
            {
                for (var i = 0; i < first.Items.Count; i++)
                {
                    if (!stack && i == at) continue;
                    var a = first.Items[i].Dim!;
                    var b = other!.Items[i].Dim!;
                    if (a.Value is { } x && b.Value is { } y && !x.Equals(y))
                        Report(DiagnosticDescriptors.OperandMismatch, step, new DimConflict(a, b), name, first.ToString(), other.ToString(), a.Describe(), b.Describe());
                }
            }
            var items = first.Items.ToList();
            if (stack) items.Insert(at, ShapeItem.Of(new SymDim(Poly.Constant(shapes.Count), shapes.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), null)));
            else items[at] = ShapeItem.Of(Sum(shapes.Select(s => s!.Items[at].Dim!).ToList()));
            result = new TensorValue(new SymShape(items));
            return true;
        }

        // ---- the ops ------------------------------------------------------------------------------------------------

        private Value Reshape(SyntaxNode call, string name, TensorValue self, IReadOnlyList<Value?> sizes, bool sizesUnknown)
        {
            if (sizesUnknown || sizes.Any(s => s is not ScalarValue)) return StopsHere(call, name, self);
            var target = sizes.Select(DimOf).ToList();
            var inferred = target.FindIndex(d => d.Value?.ConstantValue is { } c && c.Equals(new Rational(-1, 1)));
            var whole = self.Shape is { RestIndex: < 0 } s && s.Items.All(i => i.Dim!.Value is not null) ? Product(s.Items.Select(i => i.Dim!).ToList()) : null;
            var rest = target.Where((d, i) => i != inferred).ToList();
            var restProduct = rest.All(d => d.Value is not null) ? Product(rest) : null;
            if (whole is not null && restProduct is not null)
            {
                if (inferred >= 0)
                {
                    var value = whole.Value!.Divide(restProduct.Value!);
                    target[inferred] = new SymDim(value, value.ToString(), whole.Origin);
                }
                else if (!whole.Value!.Equals(restProduct.Value))
                {
                    Report(DiagnosticDescriptors.ReshapeMismatch, LocationInfo.From(call)!, new DimConflict(restProduct, whole),
                        name, self.Shape!.ToString(), Render(target), whole.Describe(), restProduct.Describe());
                }
            }
            else if (inferred >= 0)
            {
                target[inferred] = SymDim.Unknown("?");
            }
            // The dims it could read are kept; the rest are unknown from here on.
            if (target.Any(d => d.Value is null)) StopsHere(call, name, self);
            return new TensorValue(new SymShape(target.Select(ShapeItem.Of).ToList()));
        }

        private Value Flatten(SyntaxNode call, TensorValue self, long? start, long? end)
        {
            if (self.Shape is not { RestIndex: < 0 } shape || start is null || end is null || Axis(shape, start.Value) is not { } a || Axis(shape, end.Value) is not { } b || a > b)
                return StopsHere(call, "flatten", self);
            var items = shape.Items.ToList();
            var merged = Product(items.Skip(a).Take(b - a + 1).Select(i => i.Dim!).ToList()) ?? SymDim.Unknown("?");
            items.RemoveRange(a, b - a + 1);
            items.Insert(a, ShapeItem.Of(merged));
            return new TensorValue(new SymShape(items));
        }

        private Value Transpose(SyntaxNode call, string name, TensorValue self, long? first, long? second)
        {
            if (self.Shape is not { } shape || first is null || second is null || Axis(shape, first.Value) is not { } a || Axis(shape, second.Value) is not { } b)
                return StopsHere(call, name, self);
            var items = shape.Items.ToList();
            (items[a], items[b]) = (items[b], items[a]);
            return new TensorValue(new SymShape(items));
        }

        private Value Permute(SyntaxNode call, TensorValue self, IReadOnlyList<Value?> order)
        {
            if (self.Shape is not { RestIndex: < 0 } shape || order.Count != shape.Items.Count) return StopsHere(call, "permute", self);
            var axes = order.Select(o => IntOf(o) is { } v ? Axis(shape, v) : null).ToList();
            if (axes.Any(a => a is null) || axes.Distinct().Count() != axes.Count) return StopsHere(call, "permute", self);
            return new TensorValue(new SymShape(axes.Select(a => shape.Items[a!.Value]).ToList()));
        }

        private Value Unsqueeze(SyntaxNode call, TensorValue self, long? axis)
        {
            if (self.Shape is not { } shape || axis is null || Axis(shape, axis.Value, 1) is not { } at) return StopsHere(call, "unsqueeze", self);
            var items = shape.Items.ToList();
            items.Insert(at, ShapeItem.Of(One));
            return new TensorValue(new SymShape(items));
        }

        private Value Squeeze(SyntaxNode call, TensorValue self, long? axis, bool all)
        {
            if (self.Shape is not { } shape) return UnknownTensor;
            if (all)
            {
                if (shape.RestIndex >= 0 || shape.Items.Any(i => i.Dim!.Value?.ConstantValue is null)) return StopsHere(call, "squeeze", self);
                return new TensorValue(new SymShape(shape.Items.Where(i => !i.Dim!.IsOne).ToList()));
            }
            if (axis is null || Axis(shape, axis.Value) is not { } at || shape.Items[at].Dim!.Value is not { } dim) return StopsHere(call, "squeeze", self);
            if (!shape.Items[at].Dim!.IsOne && dim.ConstantValue is null) return StopsHere(call, "squeeze", self);
            var items = shape.Items.ToList();
            if (shape.Items[at].Dim!.IsOne) items.RemoveAt(at);
            return new TensorValue(new SymShape(items));
        }

        private Value Select(SyntaxNode call, TensorValue self, long? axis)
        {
            if (self.Shape is not { } shape || axis is null || Axis(shape, axis.Value) is not { } at) return StopsHere(call, "select", self);
            var items = shape.Items.ToList();
            items.RemoveAt(at);
            return new TensorValue(new SymShape(items));
        }

        private Value Narrow(SyntaxNode call, TensorValue self, long? axis, Value? length)
        {
            if (self.Shape is not { } shape || axis is null || Axis(shape, axis.Value) is not { } at) return StopsHere(call, "narrow", self);
            var items = shape.Items.ToList();
            items[at] = ShapeItem.Of(DimOf(length));
            return new TensorValue(new SymShape(items));
        }

        /// <summary>index_select(axis, index): the axis takes the length of the 1-d index (unknown when that is).</summary>
        private Value IndexSelect(SyntaxNode call, TensorValue self, long? axis, Value? index)
        {
            if (self.Shape is not { } shape || axis is null || Axis(shape, axis.Value) is not { } at) return StopsHere(call, "index_select", self);
            var items = shape.Items.ToList();
            items[at] = ShapeItem.Of(index is TensorValue { Shape: { RestIndex: < 0 } s } && s.Items.Count == 1 ? s.Items[0].Dim! : SymDim.Unknown("?"));
            return new TensorValue(new SymShape(items));
        }

        /// <summary>gather(axis, index): the result has the index's shape, and the index must have the input's rank (GRELA028).</summary>
        private Value Gather(SyntaxNode call, TensorValue self, Value? index)
        {
            if (index is not TensorValue { Shape: { } picked } indexValue) return self.Shape is null ? UnknownTensor : StopsHere(call, "gather", self);
            if (self.Shape is { RestIndex: < 0 } shape && picked.RestIndex < 0 && shape.Items.Count != picked.Items.Count)
            {
                Report(DiagnosticDescriptors.RankMismatch, LocationInfo.From(call)!, null, "gather's index (like its input)",
                    shape.ToString(), RankMismatch.Exactly(shape.Items.Count), picked.ToString(), RankMismatch.Exactly(picked.Items.Count));
            }
            return indexValue;
        }

        /// <summary>
        /// expand(sizes): the input's dims align with the last sizes; -1 keeps a dim, a size replaces a
        /// dim of 1, and a size that differs from a dim other than 1 is reported (GRELA016). New leading
        /// dims take their sizes.
        /// </summary>
        private Value Expand(SyntaxNode call, TensorValue self, IReadOnlyList<Value?> sizes)
        {
            if (self.Shape is not { RestIndex: < 0 } shape || sizes.Any(s => s is not ScalarValue) || sizes.Count < shape.Items.Count)
                return StopsHere(call, "expand", self);
            var lead = sizes.Count - shape.Items.Count;
            var target = sizes.Select(DimOf).ToList();
            var step = LocationInfo.From(call)!;
            var items = new List<ShapeItem>();
            for (var i = 0; i < target.Count; i++)
            {
                var size = target[i];
                var keep = size.Value?.ConstantValue is { } c && c.Equals(new Rational(-1, 1));
                if (i < lead)
                {
                    if (keep) return StopsHere(call, "expand", self);
                    items.Add(ShapeItem.Of(size));
                    continue;
                }
                var dim = shape.Items[i - lead].Dim!;
                if (keep || dim.IsOne)
                {
                    items.Add(ShapeItem.Of(keep ? dim : size));
                    continue;
                }
                if (dim.Value is { } x && size.Value is { } y && !x.Equals(y))
                    Report(DiagnosticDescriptors.OperandMismatch, step, new DimConflict(dim, size), "expand", shape.ToString(), Render(target), dim.Describe(), size.Describe());
                items.Add(ShapeItem.Of(dim.Value is null ? size : dim));
            }
            return new TensorValue(new SymShape(items));
        }

        /// <summary>
        /// torch.einsum with a constant spec ("rhd,rhe->hde", or without "->": the letters seen once,
        /// in order): each letter is bound to its operands' dims, a letter whose dims differ (neither
        /// being 1) is reported (GRELA016), and the result has the output letters' dims. An ellipsis, a
        /// spec it cannot read or a count of operands that does not fit gives an unknown result.
        /// </summary>
        private Value Einsum(SyntaxNode call, string? spec, IReadOnlyList<Value?> operands)
        {
            var known = operands.OfType<TensorValue>().FirstOrDefault(t => t.Shape is not null);
            Value Unknown() => known is null ? UnknownTensor : StopsHere(call, "einsum", known);
            if (spec is null || spec.IndexOf('.') >= 0) return Unknown();
            var text = spec.Replace(" ", "");
            var arrow = text.IndexOf("->", System.StringComparison.Ordinal);
            var terms = (arrow < 0 ? text : text.Substring(0, arrow)).Split(',');
            if (terms.Length != operands.Count || terms.Any(t => !t.All(char.IsLetter))) return Unknown();
            var output = arrow >= 0 ? text.Substring(arrow + 2)
                : new string(terms.SelectMany(t => t).GroupBy(l => l).Where(g => g.Count() == 1).Select(g => g.Key).OrderBy(l => l).ToArray());
            if (!output.All(char.IsLetter)) return Unknown();
            var step = LocationInfo.From(call)!;
            var bound = new Dictionary<char, (SymDim Dim, SymShape Shape)>();
            for (var i = 0; i < terms.Length; i++)
            {
                if (operands[i] is not TensorValue { Shape: { RestIndex: < 0 } shape }) continue;
                if (shape.Items.Count != terms[i].Length)
                {
                    Report(DiagnosticDescriptors.RankMismatch, step, null, "einsum term '" + terms[i] + "'", "[" + string.Join(", ", terms[i].ToCharArray()) + "]",
                        RankMismatch.Exactly(terms[i].Length), shape.ToString(), RankMismatch.Exactly(shape.Items.Count));
                    return UnknownTensor;
                }
                for (var j = 0; j < terms[i].Length; j++)
                {
                    var dim = shape.Items[j].Dim!;
                    if (!bound.TryGetValue(terms[i][j], out var seen) || seen.Dim.IsOne || seen.Dim.Value is null)
                    {
                        if (!bound.ContainsKey(terms[i][j]) || !dim.IsOne) bound[terms[i][j]] = (dim, shape);
                        continue;
                    }
                    if (dim.Value is { } y && !dim.IsOne && !seen.Dim.Value!.Equals(y))
                        Report(DiagnosticDescriptors.OperandMismatch, step, new DimConflict(seen.Dim, dim), "einsum '" + spec + "'", seen.Shape.ToString(), shape.ToString(), seen.Dim.Describe(), dim.Describe());
                }
            }
            return new TensorValue(new SymShape(output.Select(l => ShapeItem.Of(bound.TryGetValue(l, out var b) ? b.Dim : SymDim.Unknown("?"))).ToList()));
        }

        /// <summary>
        /// sum/mean/... over constant axes: each axis is removed, or kept as 1 with a literal
        /// <c>keepdim: true</c>; without an axis the result is a scalar tensor. An axis or keepdim it
        /// cannot read gives an unknown result.
        /// </summary>
        private Value Reduce(SyntaxNode call, string name, TensorValue self, IReadOnlyList<Arg> args)
        {
            if (self.Shape is not { } shape) return UnknownTensor;
            var axisArg = args.FirstOrDefault(a => a.Name is "dim" or "dims" or "dimensions" or "axis") ?? (args.Count > 0 && args[0].Name is null ? args[0] : null);
            if (axisArg is null)
                return args.All(a => a.Name is "type" or "dtype") ? new TensorValue(new SymShape(new List<ShapeItem>())) : StopsHere(call, name, self);
            var keepArg = args.FirstOrDefault(a => a.Name == "keepdim") ?? (args.Count > 1 && args[1].Name is null ? args[1] : null);
            bool? keep = keepArg is null ? false
                : keepArg.Syntax.Expression.IsKind(SyntaxKind.TrueLiteralExpression) ? true
                : keepArg.Syntax.Expression.IsKind(SyntaxKind.FalseLiteralExpression) ? false
                : (bool?)null;
            var axes = (axisArg.Value is ListValue list ? list.Items : new[] { axisArg.Value })
                .Select(v => IntOf(v) is { } i ? Axis(shape, i) : null).ToList();
            if (keep is null || axes.Count == 0 || axes.Any(a => a is null) || axes.Distinct().Count() != axes.Count) return StopsHere(call, name, self);
            var items = shape.Items.ToList();
            foreach (var at in axes.Select(a => a!.Value).OrderByDescending(a => a))
            {
                if (keep.Value) items[at] = ShapeItem.Of(One);
                else items.RemoveAt(at);
            }
            return new TensorValue(new SymShape(items));
        }

        /// <summary>chunk(n, axis): n parts of size dim/n (read as exact; an uneven last part is not modelled).</summary>
        private Value? Chunk(TensorValue self, long? count, long? axis)
        {
            if (self.Shape is not { } shape || count is not { } n || n <= 0 || n > 64 || axis is null || Axis(shape, axis.Value) is not { } at) return null;
            var whole = shape.Items[at].Dim!;
            var part = whole.Value is { } v ? new SymDim(v.Divide(Poly.Constant(n)), v.Divide(Poly.Constant(n)).ToString(), whole.Origin) : SymDim.Unknown("?");
            var items = shape.Items.ToList();
            items[at] = ShapeItem.Of(part);
            var piece = new TensorValue(new SymShape(items));
            return new ListValue(Enumerable.Repeat((Value?)piece, (int)n).ToList());
        }

        /// <summary>split([sizes], axis): the sizes must add up to the dim (GRELA015); split(size, axis) has an unknown count of parts.</summary>
        private Value? Split(SyntaxNode call, TensorValue self, Value? sizes, long? axis)
        {
            if (self.Shape is not { } shape || sizes is not ListValue list || axis is null || Axis(shape, axis.Value) is not { } at) return null;
            var parts = list.Items.Select(DimOf).ToList();
            var whole = shape.Items[at].Dim!;
            var total = parts.All(p => p.Value is not null) ? Sum(parts) : null;
            if (total is not null && whole.Value is { } w && !w.Equals(total.Value))
            {
                Report(DiagnosticDescriptors.SplitMismatch, LocationInfo.From(call)!, new DimConflict(total, whole),
                    shape.ToString(), axis.Value.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    string.Join(", ", parts.Select(p => p.Text)), total.Describe(), whole.Describe());
            }
            return new ListValue(parts.Select(p =>
            {
                var items = shape.Items.ToList();
                items[at] = ShapeItem.Of(p);
                return (Value?)new TensorValue(new SymShape(items));
            }).ToList());
        }

        /// <summary>[..., n, k] @ [..., k, m] -> [..., n, m], the leading dims broadcast.</summary>
        private Value MatMul(SyntaxNode call, string name, TensorValue left, TensorValue right)
        {
            if (left.Shape is not { } a || right.Shape is not { } b || a.Items.Count < 2 || b.Items.Count < 2
                || a.Items.Skip(a.Items.Count - 2).Any(i => i.IsRest) || b.Items.Skip(b.Items.Count - 2).Any(i => i.IsRest))
                return StopsHere(call, name, left.Shape is not null ? left : right);
            var step = LocationInfo.From(call)!;
            var k1 = a.Items[a.Items.Count - 1].Dim!;
            var k2 = b.Items[b.Items.Count - 2].Dim!;
            if (k1.Value is { } x && k2.Value is { } y && !x.Equals(y))
                Report(DiagnosticDescriptors.OperandMismatch, step, new DimConflict(k1, k2), name, a.ToString(), b.ToString(), k1.Describe(), k2.Describe());
            var (conflicts, batch) = ShapeAlgebra.Broadcast(new SymShape(a.Items.Take(a.Items.Count - 2).ToList()), new SymShape(b.Items.Take(b.Items.Count - 2).ToList()));
            foreach (var c in conflicts) Report(DiagnosticDescriptors.OperandMismatch, step, c, name, a.ToString(), b.ToString(), c.Expected.Describe(), c.Actual.Describe());
            var items = batch.Items.ToList();
            items.Add(a.Items[a.Items.Count - 2]);
            items.Add(b.Items[b.Items.Count - 1]);
            return new TensorValue(new SymShape(items));
        }

        // ---- helpers ------------------------------------------------------------------------------------------------

        /// <summary>
        /// The index into <paramref name="shape"/>'s items of an axis (negative counts from the end);
        /// <paramref name="extra"/> is 1 for an axis of the result of inserting a dim. Null when the
        /// axis falls inside an unknown run of dims.
        /// </summary>
        private static SymDim One => new SymDim(Poly.Constant(1), "1", null);

        private static int? Axis(SymShape shape, long axis, int extra = 0)
        {
            var count = shape.Items.Count + extra;
            var rest = shape.RestIndex;
            if (rest < 0)
            {
                var a = axis < 0 ? axis + count : axis;
                return a >= 0 && a < count ? (int)a : (int?)null;
            }
            if (axis >= 0) return axis < rest + extra ? (int)axis : (int?)null;
            var after = shape.Items.Count - rest - 1 + extra;
            return -axis <= after ? (int)(count + axis) : (int?)null;
        }

        /// <summary>The product of dims, its origin the first construction argument among them (so the edited line is flagged).</summary>
        private static SymDim? Product(IReadOnlyList<SymDim> dims) => Fold(dims, '*', Poly.Constant(1));

        private static SymDim Sum(IReadOnlyList<SymDim> dims) => Fold(dims, '+', Poly.Constant(0)) ?? SymDim.Unknown(string.Join("+", dims.Select(d => d.Text)));

        private static SymDim? Fold(IReadOnlyList<SymDim> dims, char op, Poly unit)
        {
            if (dims.Any(d => d.Value is null)) return null;
            var value = dims.Aggregate(unit, (acc, d) => ShapeAlgebra.Combine(op, acc, d.Value!));
            var origin = dims.Select(d => d.Origin).FirstOrDefault(o => o is { IsConstructionArgument: true }) ?? dims.Select(d => d.Origin).FirstOrDefault(o => o is not null);
            var text = dims.Count == 1 ? dims[0].Text : string.Join(op.ToString(), dims.Select(d => d.Text.IndexOfAny(new[] { '+', '-' }) >= 0 ? "(" + d.Text + ")" : d.Text));
            return new SymDim(value, text, origin);
        }

        private static string Render(IEnumerable<SymDim> dims) => "[" + string.Join(", ", dims.Select(d => d.Text)) + "]";
    }
}
