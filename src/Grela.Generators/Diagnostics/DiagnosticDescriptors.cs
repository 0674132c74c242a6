using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace Grela.Generators.Diagnostics
{
    /// <summary>
    /// The catalogue of Grela diagnostics. IDs are stable: never renumber or reuse one; add new ones
    /// at the end and record them in AnalyzerReleases.Unshipped.md. Each has a page under
    /// docs/diagnostics/ that its help link points to.
    /// </summary>
    internal static class DiagnosticDescriptors
    {
        private const string Shapes = "Grela.Shapes";
        private const string Hyper = "Grela.Hyperparameters";
        private const string Usage = "Grela.Usage";

        public const string HelpBase = "https://github.com/grela/grela/blob/main/docs/diagnostics/";

        /// <summary>
        /// A tensor passed to a sublayer, helper or tensor function has a dim its input pattern does not
        /// accept. Slots: callee and parameter, expected pattern, actual shape, actual dim, expected dim
        /// (each with its origin), where composed.
        /// </summary>
        public static readonly DiagnosticDescriptor DimensionMismatch = Make(
            "GRELA001", "Dimension mismatch between composed layers",
            "{0} expects {1}, got {2}: dim {3} != {4}{5}", Shapes);

        /// <summary>The operands of an element-wise operator do not broadcast.</summary>
        public static readonly DiagnosticDescriptor BroadcastMismatch = Make(
            "GRELA002", "Element-wise operands do not broadcast",
            "element-wise operands {0} and {1} do not broadcast: dim {2} != {3}{4}", Shapes);

        /// <summary>
        /// The inferred shape of the forward result differs in a dim from its declared [return: Shape].
        /// Slots: layer, inferred shape, declared pattern, inferred dim, declared dim, where composed.
        /// </summary>
        public static readonly DiagnosticDescriptor ReturnShapeMismatch = Make(
            "GRELA003", "Forward result does not match its declared shape",
            "'{0}' Forward returns {1} but its [return: Shape] declares {2}: dim {3} != {4}{5}", Shapes);

        /// <summary>A constant argument violates [Positive].</summary>
        public static readonly DiagnosticDescriptor NotPositive = Make(
            "GRELA004", "Size must be positive",
            "{0}.{1} must be positive, got {2}", Hyper);

        /// <summary>A constant argument violates [Rate].</summary>
        public static readonly DiagnosticDescriptor RateOutOfRange = Make(
            "GRELA005", "Rate must lie in [0, 1)",
            "{0}.{1} must be a rate in [0, 1), got {2}", Hyper);

        /// <summary>A constant argument violates [NonNegative].</summary>
        public static readonly DiagnosticDescriptor Negative = Make(
            "GRELA006", "Value must be non-negative",
            "{0}.{1} must be non-negative, got {2}", Hyper);

        /// <summary>Constant arguments violate [Divides].</summary>
        public static readonly DiagnosticDescriptor DoesNotDivide = Make(
            "GRELA007", "Hyperparameter must divide another",
            "{0}.{1} ({2}) must divide {0}.{3} ({4})", Hyper);

        /// <summary>A [Layer] or [Leaf] record is not partial.</summary>
        public static readonly DiagnosticDescriptor NotPartial = Make(
            "GRELA008", "Layer record must be partial",
            "Layer record '{0}' must be declared partial so that Grela can generate its module", Usage);

        /// <summary>A [Sub] property's type is not a layer record or LayerList.</summary>
        public static readonly DiagnosticDescriptor SubNotALayer = Make(
            "GRELA009", "Sublayer is not a layer",
            "Sublayer '{0}' has type '{1}', which is not a [Layer] or [Leaf] record nor a LayerList<T> of one", Usage);

        /// <summary>A shape pattern names a dim that is neither a hyperparameter nor in the glossary.</summary>
        public static readonly DiagnosticDescriptor UnknownDimName = Make(
            "GRELA010", "Unknown dimension name",
            "Shape \"{0}\" names '{1}', which is neither an int hyperparameter of '{2}' nor a glossary dim ({3})", Usage);

        /// <summary>A shape pattern cannot be parsed.</summary>
        public static readonly DiagnosticDescriptor InvalidShape = Make(
            "GRELA011", "Invalid shape pattern",
            "Shape \"{0}\" is invalid: {1}", Usage);

        /// <summary>
        /// A [Layer] record with neither a [Forward] method nor state ([Sub], [Buffer], [Parameter]):
        /// its module would do nothing. (A record with state and no [Forward] is a state-only layer.)
        /// </summary>
        public static readonly DiagnosticDescriptor InvalidForward = Make(
            "GRELA012", "Layer has neither a forward method nor state",
            "Layer '{0}': no method is marked [Forward] and no member is a [Sub], [Buffer] or [Parameter]; a layer needs one or the other", Usage);

        /// <summary>[Layer]/[Leaf] on a type that cannot be one: not a record class, nested or generic.</summary>
        public static readonly DiagnosticDescriptor InvalidDeclaration = Make(
            "GRELA013", "Invalid layer declaration",
            "Layer '{0}': a layer must be a top-level, non-generic record class ('partial record')", Usage);

        /// <summary>A view/reshape/flatten asks for a different number of elements than its operand has.</summary>
        public static readonly DiagnosticDescriptor ReshapeMismatch = Make(
            "GRELA014", "View or reshape changes the number of elements",
            "{0} of {1} to {2} changes the number of elements: {3} != {4}{5}", Shapes);

        /// <summary>The sizes given to split do not add up to the dim being split.</summary>
        public static readonly DiagnosticDescriptor SplitMismatch = Make(
            "GRELA015", "Split sizes do not add up to the dim",
            "split of {0} along axis {1} into [{2}]: the sizes add up to {3}, but the dim is {4}{5}", Shapes);

        /// <summary>
        /// The operands of cat, stack or matmul disagree on a dim that must match. Slots: op, first
        /// operand's shape, second operand's shape, first dim, second dim, where composed.
        /// </summary>
        public static readonly DiagnosticDescriptor OperandMismatch = Make(
            "GRELA016", "Operands of cat, stack, matmul, expand or einsum do not fit",
            "{0} of {1} and {2}: dim {3} != {4}{5}", Shapes);

        /// <summary>
        /// Opt-in (off by default): where a tensor of known shape goes into something the analysis does
        /// not understand, so a contributor can see where compile-time checking stops. Slots: the op or
        /// function, the shape of the tensor that went into it.
        /// </summary>
        public static readonly DiagnosticDescriptor ShapeUnknown = Make(
            "GRELA017", "Shape checking stops here",
            "Shape checking stops at '{0}': the shape of its result (input {1}) is unknown from here on (runtime guards still check the layer's inputs and result)", Shapes,
            DiagnosticSeverity.Info, enabledByDefault: false);

        /// <summary>[Divides] names something that is not another int hyperparameter, or sits on a non-int.</summary>
        public static readonly DiagnosticDescriptor InvalidDivides = Make(
            "GRELA018", "[Divides] must relate two int hyperparameters",
            "Layer '{0}': [Divides(\"{1}\")] on '{2}' must name another int hyperparameter, and '{2}' must be an int", Usage);

        /// <summary>A constraint attribute on a hyperparameter that is not a number.</summary>
        public static readonly DiagnosticDescriptor ConstraintOnNonNumeric = Make(
            "GRELA019", "Constraint on a non-numeric hyperparameter",
            "Layer '{0}': constraint attributes apply to int, long, float or double hyperparameters, not '{1}' ('{2}')", Usage);

        /// <summary>A [Sub] registration name that is empty, dotted or used twice.</summary>
        public static readonly DiagnosticDescriptor InvalidSubName = Make(
            "GRELA020", "Invalid sublayer registration name",
            "Layer '{0}': [Sub(\"{1}\")] on '{2}' needs a unique, non-empty registration name without dots", Usage);

        /// <summary>A [Sub] on a property that is static, settable, or named like a member of the generated module.</summary>
        public static readonly DiagnosticDescriptor InvalidSubProperty = Make(
            "GRELA021", "Invalid sublayer property",
            "Layer '{0}': sublayer '{1}' must be a get-only instance property whose name is not one of the generated module's (Spec, Path, DisplayPath)", Usage);

        /// <summary>A [Buffer] or [Parameter] on a method that is not <c>Tensor Name()</c>.</summary>
        public static readonly DiagnosticDescriptor InvalidTensorMethod = Make(
            "GRELA022", "Invalid buffer or parameter method",
            "Layer '{0}': [{1}] method '{2}' must be an instance method 'Tensor {2}()' with a registration name", Usage);

        /// <summary>[Init] on a method that is not <c>void Init(Module m)</c>, or on two methods.</summary>
        public static readonly DiagnosticDescriptor InvalidInit = Make(
            "GRELA023", "Invalid [Init] method",
            "Layer '{0}': [Init] must be on one instance method 'void {1}(Module m)'", Usage);

        /// <summary>[Shape] on a Forward parameter that is not a Tensor.</summary>
        public static readonly DiagnosticDescriptor ShapeOnNonTensor = Make(
            "GRELA024", "[Shape] on a parameter that is not a Tensor",
            "Layer '{0}': [Shape] applies to Tensor parameters, not '{1}'", Usage);

        /// <summary>More than one method of a layer is marked [Forward].</summary>
        public static readonly DiagnosticDescriptor SecondForward = Make(
            "GRELA025", "More than one [Forward] method",
            "Layer '{0}': '{1}' is a second method marked [Forward] after '{2}'; a layer has exactly one", Usage);

        /// <summary>The [Forward] method is static, generic, void, has ref parameters, or does not take the module and 1 to 3 inputs.</summary>
        public static readonly DiagnosticDescriptor InvalidForwardSignature = Make(
            "GRELA026", "Invalid [Forward] signature",
            "Layer '{0}': the [Forward] method must be an instance method 'TResult {1}(Module m, T1 x[, T2 y[, T3 z]])' with 1 to 3 inputs after the module", Usage);

        /// <summary>A [Leaf] record that does not implement ILeaf&lt;TModule&gt;.</summary>
        public static readonly DiagnosticDescriptor LeafWithoutInterface = Make(
            "GRELA027", "[Leaf] record without ILeaf",
            "Layer '{0}': a [Leaf] record must implement ILeaf<TModule>", Usage);

        /// <summary>
        /// A tensor of the wrong rank reaches a pattern (a sublayer's or function's input, the declared
        /// result) or a cat/stack beside an operand of another rank. Slots: what expects it, expected
        /// pattern or shape, expected rank, actual shape, actual rank, where composed.
        /// </summary>
        public static readonly DiagnosticDescriptor RankMismatch = Make(
            "GRELA028", "Tensor has the wrong rank",
            "{0} expects {1} (rank {2}), got {3} (rank {4}){5}", Shapes);

        /// <summary>
        /// A public method that takes the module first would be forwarded to the module under a name
        /// the module already has (a TorchSharp Module member, Spec, Path, DisplayPath). Slots: layer, method.
        /// </summary>
        public static readonly DiagnosticDescriptor ForwardedNameTaken = Make(
            "GRELA029", "Forwarded method name is taken by the module",
            "Layer '{0}': method '{1}' takes the module first, but the generated module already has a member '{1}' (TorchSharp's Module, Spec, Path or DisplayPath), so it cannot be forwarded; rename it", Usage);

        /// <summary>
        /// Constant arguments divide as [Divides] asks, but the quotient is not a multiple of its
        /// QuotientMultipleOf. Slots: layer, divisor, target, multiple, target's value, divisor's value, quotient.
        /// </summary>
        public static readonly DiagnosticDescriptor QuotientNotMultiple = Make(
            "GRELA030", "Quotient of a divided hyperparameter must be a multiple",
            "{0}.{2} / {0}.{1} must be a multiple of {3}, got {4} / {5} = {6}", Hyper);

        /// <summary>[Divides(..., QuotientMultipleOf = n)] with n not an int constant of at least 1.</summary>
        public static readonly DiagnosticDescriptor InvalidQuotientMultiple = Make(
            "GRELA031", "Invalid QuotientMultipleOf",
            "Layer '{0}': QuotientMultipleOf of [Divides(\"{1}\")] on '{2}' must be an int constant of at least 1", Usage);

        /// <summary>A constant argument violates [MultipleOf]. Slots: layer, parameter, factor, value.</summary>
        public static readonly DiagnosticDescriptor NotMultiple = Make(
            "GRELA032", "Value must be a multiple",
            "{0}.{1} must be a multiple of {2}, got {3}", Hyper);

        /// <summary>[MultipleOf(n)] with n not an int constant of at least 1, or on a hyperparameter that is not an int.</summary>
        public static readonly DiagnosticDescriptor InvalidMultipleOf = Make(
            "GRELA033", "Invalid [MultipleOf]",
            "Layer '{0}': [MultipleOf] on '{1}' needs an int constant factor of at least 1, and '{1}' must be an int", Usage);

        public static IReadOnlyList<DiagnosticDescriptor> All { get; } = new[]
        {
            DimensionMismatch, BroadcastMismatch, ReturnShapeMismatch, NotPositive, RateOutOfRange, Negative,
            DoesNotDivide, NotPartial, SubNotALayer, UnknownDimName, InvalidShape, InvalidForward, InvalidDeclaration,
            ReshapeMismatch, SplitMismatch, OperandMismatch, ShapeUnknown,
            InvalidDivides, ConstraintOnNonNumeric, InvalidSubName, InvalidSubProperty, InvalidTensorMethod, InvalidInit, ShapeOnNonTensor,
            SecondForward, InvalidForwardSignature, LeafWithoutInterface, RankMismatch, ForwardedNameTaken,
            QuotientNotMultiple, InvalidQuotientMultiple, NotMultiple, InvalidMultipleOf,
        };

        /// <summary>Misuses of the authoring model after which no module is generated.</summary>
        public static IReadOnlyCollection<string> UsageErrors { get; } = new HashSet<string>
        {
            InvalidForward.Id, InvalidDeclaration.Id, InvalidDivides.Id, ConstraintOnNonNumeric.Id, InvalidSubName.Id,
            InvalidSubProperty.Id, InvalidTensorMethod.Id, InvalidInit.Id, ShapeOnNonTensor.Id,
            SecondForward.Id, InvalidForwardSignature.Id, LeafWithoutInterface.Id, InvalidQuotientMultiple.Id,
            InvalidMultipleOf.Id,
        };

        private static readonly Dictionary<string, DiagnosticDescriptor> byId = All.ToDictionary(d => d.Id);

        public static DiagnosticDescriptor ById(string id) => byId[id];

        private static DiagnosticDescriptor Make(string id, string title, string format, string category,
            DiagnosticSeverity severity = DiagnosticSeverity.Error, bool enabledByDefault = true) =>
            new DiagnosticDescriptor(
                id, title, format, category, severity, isEnabledByDefault: enabledByDefault,
                helpLinkUri: HelpBase + id + ".md");
    }
}
