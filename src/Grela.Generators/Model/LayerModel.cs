namespace Grela.Generators.Model
{
    /// <summary>
    /// Everything the emitter needs about one [Layer] or [Leaf] record. Holds only strings, numbers
    /// and equatable collections (no Roslyn symbols or syntax), so the pipeline caches by value.
    /// <see cref="Forward"/> is null for a leaf and for a state-only layer; <see cref="Forwarded"/>
    /// are the record methods the module forwards (those taking the module first).
    /// </summary>
    internal sealed record LayerModel(
        string Namespace,
        string TypeName,
        bool IsLeaf,
        string ModuleType,
        EquatableArray<HyperParameterModel> HyperParameters,
        EquatableArray<SubLayerModel> SubLayers,
        EquatableArray<TensorMemberModel> TensorMembers,
        ForwardModel? Forward,
        string? InitMethod,
        EquatableArray<ForwardModel> Forwarded);

    /// <summary>A primary-constructor parameter of a layer record.</summary>
    /// <param name="IsDim">Whether it is an integer usable as a dim in shape patterns.</param>
    internal sealed record HyperParameterModel(string Name, bool IsDim, bool IsNullable, EquatableArray<ConstraintModel> Constraints);

    /// <summary>
    /// A hyperparameter constraint: Positive, NonNegative, Rate, Divides (with its target and what
    /// the quotient target / value must be a multiple of; 1 when it is free), or MultipleOf (with the
    /// factor the value must be a multiple of).
    /// </summary>
    internal sealed record ConstraintModel(ConstraintKind Kind, string? Target, int QuotientMultipleOf = 1, int Factor = 1);

    internal enum ConstraintKind { Positive, NonNegative, Rate, Divides, MultipleOf }

    /// <summary>A [Sub] property: its registration name and the built module's type.</summary>
    internal sealed record SubLayerModel(string Property, string RegistrationName, bool IsList, string ModuleType);

    /// <summary>A [Buffer] or [Parameter] method.</summary>
    internal sealed record TensorMemberModel(string Method, string RegistrationName, bool IsParameter, bool Persistent);

    /// <summary>
    /// The [Forward] method's signature with its shape patterns (already validated); also the
    /// signature of a forwarded record method: with patterns when it has a [Shape]d tensor parameter
    /// (<c>ForwardAt(Module m, [Shape] ...)</c>, wrapped in the same guards), without any otherwise.
    /// ReturnType is <c>void</c> for a method that returns nothing.
    /// </summary>
    internal sealed record ForwardModel(string Method, EquatableArray<ForwardParameterModel> Parameters, string ReturnType, string? ReturnShape);

    /// <summary>
    /// A forward parameter after the module: name, fully qualified type, shape pattern if any, and its
    /// default value as source text (null when it has none), so a guarded wrapper can be called as the record method.
    /// </summary>
    internal sealed record ForwardParameterModel(string Name, string Type, string? Shape, bool IsNullable, string? Default = null);
}
