using System.Collections.Generic;

namespace Grela.Generators.Parsing
{
    /// <summary>Metadata names of the authoring surface in Grela.Core (namespace Grela.Layers).</summary>
    internal static class KnownNames
    {
        public const string LayerAttribute = "Grela.Layers.LayerAttribute";
        public const string LeafAttribute = "Grela.Layers.LeafAttribute";
        public const string SubAttribute = "Grela.Layers.SubAttribute";
        public const string ForwardAttribute = "Grela.Layers.ForwardAttribute";
        public const string ShapeAttribute = "Grela.Layers.ShapeAttribute";
        public const string BufferAttribute = "Grela.Layers.BufferAttribute";
        public const string ParameterAttribute = "Grela.Layers.ParameterAttribute";
        public const string InitAttribute = "Grela.Layers.InitAttribute";
        public const string PositiveAttribute = "Grela.Layers.PositiveAttribute";
        public const string NonNegativeAttribute = "Grela.Layers.NonNegativeAttribute";
        public const string RateAttribute = "Grela.Layers.RateAttribute";
        public const string DividesAttribute = "Grela.Layers.DividesAttribute";
        public const string MultipleOfAttribute = "Grela.Layers.MultipleOfAttribute";
        public const string LayerList = "Grela.Layers.LayerList`1";
        public const string LayerInterface = "Grela.Layers.ILayer`1";

        /// <summary>Free dim names every pattern may use (the glossary): bound per call at run time.</summary>
        public static readonly IReadOnlyList<string> Glossary = new[] { "B", "L", "N", "T", "S", "K", "C", "H", "Dh", "D", "M" };
    }
}
