using LanguageExt;
using TorchSharp;

namespace Grela.Layers;

/// <summary>A layer record: immutable hyperparameters that can be checked and built into a module.</summary>
public interface ILayer
{
    /// <summary>
    /// Every violated hyperparameter constraint of this layer and its sublayers, each message
    /// prefixed with its module path (<paramref name="path"/> is this layer's path, "" at the root).
    /// </summary>
    Seq<string> Violations(string path);
}

/// <summary>A layer record that builds a TorchSharp module of type <typeparamref name="TModule"/>.</summary>
public interface ILayer<out TModule> : ILayer where TModule : torch.nn.Module
{
    /// <summary>
    /// Constructs and initialises the module on the CPU without validating (parents call this for
    /// their sublayers after validating the whole tree once). <paramref name="path"/> is the module
    /// path used in runtime guard messages, e.g. <c>GRELA_block[2].attn</c>.
    /// </summary>
    TModule Create(string path);
}

/// <summary>
/// A hand-written leaf layer wrapping a TorchSharp primitive. The record carries
/// <see cref="LeafAttribute"/> with its shapes; the generator adds <c>Validate</c>, <c>Build</c> and
/// <c>Violations</c>; the author writes <see cref="ILayer{TModule}.Create"/>.
/// </summary>
public interface ILeaf<out TModule> : ILayer<TModule> where TModule : torch.nn.Module;
