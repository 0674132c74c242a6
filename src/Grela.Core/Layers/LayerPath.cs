namespace Grela.Layers;

/// <summary>Module paths as shown in guard and validation messages: <c>GRELA_block[2].attn</c>.</summary>
public static class LayerPath
{
    /// <summary>The path of the sublayer registered as <paramref name="name"/> under <paramref name="parent"/>.</summary>
    public static string Child(string parent, string name) => parent.Length == 0 ? name : parent + "." + name;

    /// <summary>The path of item <paramref name="index"/> of the list registered as <paramref name="name"/>.</summary>
    public static string Item(string parent, string name, int index) =>
        Child(parent, name) + "[" + index.ToString(System.Globalization.CultureInfo.InvariantCulture) + "]";

    /// <summary>The path to show: the module path, or the layer type's name at the root.</summary>
    public static string Display(string path, string typeName) => path.Length == 0 ? typeName : path;
}
