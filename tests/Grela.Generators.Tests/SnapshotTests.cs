namespace Grela.Generators.Tests;

/// <summary>Snapshot tests of the generated code for representative layers.</summary>
public class SnapshotTests
{
    private static void VerifyGenerated(string name, string body)
    {
        // The generated code compiles without warnings.
        var generated = GeneratorHarness.RunClean(GeneratorHarness.Usings + "namespace Demo;\n\n" + body);
        Assert.NotEmpty(generated);
        foreach (var (hint, text) in generated.OrderBy(s => s.Key, StringComparer.Ordinal))
        {
            Snapshots.Verify(name + "." + hint, text);
        }
    }

    [Fact]
    public void Mlp() => VerifyGenerated(nameof(Mlp), """
        /// <summary>Position-wise feed-forward.</summary>
        [Layer]
        public sealed partial record Mlp([Positive] int Dim, [Rate] double Dropout)
        {
            [Sub("fc1")] public Linear Fc1 => new(Dim, Dim * 4);
            [Sub("fc2")] public Linear Fc2 => new(Dim * 4, Dim);
            [Sub("dropout")] public DropoutLayer Drop => new(Dropout);

            [Forward]
            [return: Shape("B L Dim")]
            public Tensor Forward(Module m, [Shape("B L Dim")] Tensor x)
                => m.Drop.forward(m.Fc2.forward(m.Drop.forward(gelu(m.Fc1.forward(x)))));
        }
        """);

    [Fact]
    public void EntryPointBesidesForward() => VerifyGenerated(nameof(EntryPointBesidesForward), """
        /// <summary>
        /// A projection that can also be read at one position per row (guarded like forward); the
        /// guarded module method keeps the entry point's default values.
        /// </summary>
        [Layer]
        public sealed partial record Reader([Positive] int Dim)
        {
            [Sub("proj")] public Linear Proj => new(Dim, Dim);

            [Forward]
            [return: Shape("B L Dim")]
            public Tensor Forward(Module m, [Shape("B L Dim")] Tensor x) => m.Proj.forward(x);

            [return: Shape("B Dim")]
            public Tensor ForwardAt(Module m, [Shape("B L Dim")] Tensor x, [Shape("B")] Tensor positions,
                float scale = 0.5f, ScalarType dtype = ScalarType.Float32, [Shape("B Dim")] Tensor? bias = null)
            {
                var read = m.Proj.forward(x.gather(1, positions.view(-1, 1, 1).expand(-1, 1, Dim))).squeeze(1) * scale;
                return (bias is null ? read : read + bias).to_type(dtype);
            }
        }
        """);

    [Fact]
    public void StackWithListBufferParameterAndInit() => VerifyGenerated(nameof(StackWithListBufferParameterAndInit), """
        [Layer]
        public sealed partial record Block([Positive] int Dim, [Positive, Divides(nameof(Dim))] int Heads, [Rate] double Drop)
        {
            [Sub("LayerNorm1")] public LayerNorm Norm => new(Dim);
            [Sub("in_proj")] public Linear InProj => new(Dim, Dim);
            [Sub("drop_path")] public DropPath Path_ => new(Drop);

            [Buffer("rotations")] public Tensor Rotations() => ones(Dim / Heads);

            [Forward]
            [return: Shape("B L Dim")]
            public Tensor Forward(Module m, [Shape("B L Dim")] Tensor x, Tensor? mask)
                => x + m.Path_.forward(m.InProj.forward(m.Norm.forward(x)));
        }

        [Layer]
        public sealed partial record Stack([Positive] int Items, [Positive] int Dim, [Positive] int Depth)
        {
            [Sub("item_embedding")] public Embedding Embed => new(Items, Dim, PaddingIdx: 0);
            [Sub("GRELA_block")] public LayerList<Block> Blocks => LayerList.Repeat(Depth, _ => new Block(Dim, 4, 0.1));
            [Parameter("scale")] public Tensor Scale() => ones(Dim);

            [Init]
            public void Init(Module m)
            {
                using var _ = no_grad();
                m.Embed.weight!.normal_(0, 0.02);
            }

            [Forward]
            [return: Shape("B L Dim")]
            public Tensor Forward(Module m, [Shape("B L")] Tensor items)
            {
                var h = m.Embed.forward(items);
                foreach (var block in m.Blocks) h = block.forward(h, null);
                return h * m.Scale;
            }
        }
        """);

    [Fact]
    public void StateOnlyLayerWithForwardedMethods() => VerifyGenerated(nameof(StateOnlyLayerWithForwardedMethods), """
        /// <summary>A table other layers read: state and forwarded methods, no forward.</summary>
        [Layer]
        public sealed partial record Table([Positive] int Rows, [Positive] int Dim)
        {
            [Buffer("rotations")] public Tensor Rotations() => ones(Rows, Dim);

            /// <summary>Not [Shape]d: forwarded as is, its default kept.</summary>
            public Tensor Head(Module m, long rows = 2) => m.Rotations.narrow(0, 0, rows);

            /// <summary>A [Shape]d tensor parameter: forwarded with its guard.</summary>
            [return: Shape("B Dim")]
            public Tensor Gather(Module m, [Shape("B")] Tensor index) => m.Rotations.index_select(0, index);

            /// <summary>Returns nothing: forwarded as a statement.</summary>
            public void Fill(Module m, double value)
            {
                using var _ = no_grad();
                m.Rotations.fill_(value);
            }
        }
        """);

    [Fact]
    public void Leaf() => VerifyGenerated(nameof(Leaf), """
        [Leaf(Input = "... In", Output = "... Out")]
        public sealed partial record Proj([Positive] int In, [Positive] int Out, [Rate] double Drop = 0) : ILeaf<TorchSharp.Modules.Linear>
        {
            public TorchSharp.Modules.Linear Create(string path) => torch.nn.Linear(In, Out);
        }
        """);
}
