namespace Grela.Layers;

/// <summary>
/// Marks a <c>partial record</c> as a composite layer. Its primary-constructor parameters are its
/// hyperparameters; the Grela generator emits its TorchSharp <c>Module</c>, <c>Build</c> and
/// <c>Validate</c>, and checks its wiring at compile time.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class LayerAttribute : Attribute;

/// <summary>
/// Marks a hand-written leaf layer record (a wrapper of a TorchSharp primitive) and declares its
/// input and output shapes in terms of its own parameter names, e.g. <c>"... In"</c> -> <c>"... Out"</c>.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class LeafAttribute : Attribute
{
    /// <summary>Shape pattern of the input tensor.</summary>
    public string Input { get; set; } = "...";

    /// <summary>Shape pattern of the output tensor.</summary>
    public string Output { get; set; } = "...";

    /// <summary>
    /// Shape pattern of the final state of a recurrent leaf, whose module returns
    /// <c>(output, state)</c>; null for a leaf that returns one tensor. Declaring it lets the shape
    /// analysis follow <c>var (states, last) = m.Gru.forward(x)</c>.
    /// </summary>
    public string? State { get; set; }

    /// <summary>
    /// Shapes of the module's parameters as <c>"name: pattern"</c> (e.g. <c>"weight: Channels 1 Kernel"</c>),
    /// so a composite that reads <c>m.Conv.weight</c> into a tensor function is checked too.
    /// </summary>
    public string[]? Parameters { get; set; }
}

/// <summary>
/// Declares a sublayer: a get-only, expression-bodied property whose type is a layer record or a
/// <see cref="LayerList{T}"/>. <paramref name="name"/> is its state_dict name (PyTorch snake_case,
/// chosen to match a reference implementation). Registration order is declaration order.
/// </summary>
[AttributeUsage(AttributeTargets.Property, Inherited = false)]
public sealed class SubAttribute(string name) : Attribute
{
    /// <summary>The registration (state_dict) name.</summary>
    public string Name { get; } = name;
}

/// <summary>
/// Marks the forward method of a composite layer: <c>Tensor Forward(Module m, ...)</c>, whose
/// first parameter is the generated module (sublayers are its fields).
/// </summary>
[AttributeUsage(AttributeTargets.Method, Inherited = false)]
public sealed class ForwardAttribute : Attribute;

/// <summary>
/// Named-dimension pattern of a tensor parameter or return value, e.g. <c>"B L Dim"</c>,
/// <c>"B L Dim*4"</c>, <c>"... Dim/Heads"</c>, <c>"_ N"</c>.
/// </summary>
[AttributeUsage(AttributeTargets.Parameter | AttributeTargets.ReturnValue, Inherited = false)]
public sealed class ShapeAttribute(string pattern) : Attribute
{
    /// <summary>The pattern text.</summary>
    public string Pattern { get; } = pattern;
}

/// <summary>
/// Marks an instance method <c>Tensor Name()</c> that builds a non-trainable buffer, registered
/// under <paramref name="name"/> and exposed as the module field of the method's name.
/// </summary>
[AttributeUsage(AttributeTargets.Method, Inherited = false)]
public sealed class BufferAttribute(string name) : Attribute
{
    /// <summary>The registration (state_dict) name.</summary>
    public string Name { get; } = name;

    /// <summary>Whether the buffer is saved in the state_dict (default true).</summary>
    public bool Persistent { get; set; } = true;
}

/// <summary>
/// Marks an instance method <c>Tensor Name()</c> that builds a trainable parameter, registered
/// under <paramref name="name"/> and exposed as the module field of the method's name.
/// </summary>
[AttributeUsage(AttributeTargets.Method, Inherited = false)]
public sealed class ParameterAttribute(string name) : Attribute
{
    /// <summary>The registration (state_dict) name.</summary>
    public string Name { get; } = name;
}

/// <summary>
/// Marks an instance method <c>void Init(Module m)</c> that initialises parameters. It runs after
/// every sublayer has been built and initialised (children first, then parents).
/// </summary>
[AttributeUsage(AttributeTargets.Method, Inherited = false)]
public sealed class InitAttribute : Attribute;
