// Interim hand-written modules with the surface the layer generator will emit (fields named as
// the records' sublayer properties, official registration names). Deleted once the generator
// builds these records.
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Grela.Models.RecGrela;

public sealed partial record RotaryEncoding
{
    public sealed class Module : nn.Module<Tensor, Tensor>
    {
        public readonly RotaryEncoding Spec;
        public readonly Tensor Rotations;
        public Module(RotaryEncoding spec) : base("RoPE")
        {
            Spec = spec;
            Rotations = spec.Rotations();
            register_buffer("rotations", Rotations);
        }
        public override Tensor forward(Tensor x) => Spec.Forward(this, x);
        protected override void RegisterComponents() { }
    }
    public Module Build() => new(this);
}

public sealed partial record RelaAttention
{
    public sealed class Module : nn.Module<Tensor, Tensor, Tensor>
    {
        public readonly RelaAttention Spec;
        public readonly Linear Qk;
        public readonly Conv1d Conv1d;
        public readonly RotaryEncoding.Module Rope;
        public Module(RelaAttention spec) : base("RotaryEnhancedLinearAttention")
        {
            Spec = spec;
            Qk = nn.Linear(spec.Dim, 2 * spec.Dim);
            Conv1d = nn.Conv1d(spec.Dim, spec.Dim, ConvKernel, groups: spec.Dim);
            Rope = new RotaryEncoding(spec.MaxLength, spec.Dim).Build();
            register_module("qk", Qk);
            register_module("conv1d", Conv1d);
            register_module("rope", Rope);
        }
        public override Tensor forward(Tensor u, Tensor mask) => Spec.Forward(this, u, mask);
        protected override void RegisterComponents() { }
    }
    public Module Build() => new(this);
}

public sealed partial record Mlp
{
    public sealed class Module : nn.Module<Tensor, Tensor>
    {
        public readonly Mlp Spec;
        public readonly Linear Fc1, Fc2;
        public readonly Dropout Drop;
        public Module(Mlp spec) : base("Mlp")
        {
            Spec = spec;
            Fc1 = nn.Linear(spec.Dim, 4 * spec.Dim);
            Fc2 = nn.Linear(4 * spec.Dim, spec.Dim);
            Drop = nn.Dropout(spec.Dropout);
            register_module("fc1", Fc1);
            register_module("fc2", Fc2);
            register_module("drop", Drop);
        }
        public override Tensor forward(Tensor x) => Spec.Forward(this, x);
        protected override void RegisterComponents() { }
    }
    public Module Build() => new(this);
}

public sealed class InterimDropPath(double rate) : nn.Module<Tensor, Tensor>("DropPath")
{
    public override Tensor forward(Tensor x)
    {
        if (!training || rate == 0) return x.alias();
        long[] shape = [x.shape[0], .. Enumerable.Repeat(1L, (int)x.dim() - 1)];
        using var mask = torch.empty(shape, x.dtype, x.device).bernoulli_(1 - rate);
        return x * mask / (1 - rate);
    }
}

public sealed partial record GrelaBlock
{
    public sealed class Module : nn.Module<Tensor, Tensor, Tensor>
    {
        public readonly GrelaBlock Spec;
        public readonly RelaAttention.Module Attn;
        public readonly Linear InProj, OutProj, ActProj;
        public readonly LayerNorm Norm1, Norm2;
        public readonly Mlp.Module Mlp;
        public readonly InterimDropPath DropPath;
        public Module(GrelaBlock spec) : base("GRELA")
        {
            Spec = spec;
            Attn = new RelaAttention(spec.Dim, spec.Heads, spec.MaxLength, spec.Mode).Build();
            InProj = nn.Linear(spec.Dim, spec.Dim);
            OutProj = nn.Linear(spec.Dim, spec.Dim);
            Norm1 = nn.LayerNorm(spec.Dim, 1e-12);
            Norm2 = nn.LayerNorm(spec.Dim, 1e-12);
            Mlp = new Mlp(spec.Dim, spec.Dropout).Build();
            ActProj = nn.Linear(spec.Dim, spec.Dim);
            DropPath = new InterimDropPath(spec.DropPathRate);
            register_module("attn", Attn);
            register_module("in_proj", InProj);
            register_module("out_proj", OutProj);
            register_module("LayerNorm1", Norm1);
            register_module("LayerNorm2", Norm2);
            register_module("mlp", Mlp);
            register_module("act_proj", ActProj);
            register_module("drop_path", DropPath);
        }
        public override Tensor forward(Tensor h, Tensor mask) => Spec.Forward(this, h, mask);
        protected override void RegisterComponents() { }
    }
    public Module Build() => new(this);
}

public sealed partial record RecGrelaModel
{
    public sealed class Module : nn.Module<Tensor, Tensor>
    {
        public readonly RecGrelaModel Spec;
        public readonly Embedding ItemEmbedding;
        public readonly LayerNorm Norm;
        public readonly Dropout Drop;
        public readonly ModuleList<GrelaBlock.Module> Blocks;
        public Module(RecGrelaModel spec) : base("RecGRELA")
        {
            Spec = spec;
            ItemEmbedding = nn.Embedding(spec.Items, spec.Dim, padding_idx: 0);
            Norm = nn.LayerNorm(spec.Dim, 1e-12);
            Drop = nn.Dropout(spec.Dropout);
            Blocks = nn.ModuleList(Enumerable.Range(0, spec.Layers)
                .Select(_ => new GrelaBlock(spec.Dim, spec.Heads, spec.MaxLength, spec.Mode, spec.Dropout, spec.DropPathRate, spec.Residual).Build()).ToArray());
            register_module("item_embedding", ItemEmbedding);
            register_module("LayerNorm", Norm);
            register_module("dropout", Drop);
            register_module("GRELA_block", Blocks);
            spec.Init(this);
        }
        public override Tensor forward(Tensor items) => Spec.Forward(this, items);
        protected override void RegisterComponents() { }
    }
    public Module Build(Device? device = null)
    {
        var m = new Module(this);
        if (device is not null) m.to(device);
        return m;
    }
}
