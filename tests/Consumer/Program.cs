// Builds each record into a module and runs one forward on random input; prints the shapes and the
// state_dict names so the consumer test can check them. Exit code 1 on any unexpected shape.
using Consumer;
using Grela.Models.Example;   // docs/layers.md's namespace
using static TorchSharp.torch;

var failures = 0;
void Check(string what, Tensor y, params long[] expected)
{
    var ok = y.shape.SequenceEqual(expected);
    Console.WriteLine($"{what}: [{string.Join(", ", y.shape)}] {(ok ? "ok" : "expected [" + string.Join(", ", expected) + "]")}");
    if (!ok) failures++;
}

using (var gated = new GatedBlock(Dim: 16, Dropout: 0.1).Build())
{
    gated.eval();
    using var y = gated.forward(randn(2, 5, 16));
    Check("GatedBlock", y, 2, 5, 16);
    Console.WriteLine("GatedBlock state_dict: " + string.Join(" ", gated.state_dict().Keys));
}
using (var mlp = new Mlp(Dim: 8, Dropout: 0.0).Build())
{
    using var y = mlp.forward(randn(3, 4, 8));
    Check("Mlp", y, 3, 4, 8);
}
using (var encoder = new TinyEncoder(Items: 50, Dim: 16, Depth: 2).Build())
{
    using var y = encoder.forward(randint(1, 50, [2, 7], dtype: ScalarType.Int64));
    Check("TinyEncoder", y, 2, 7, 16);
}
return failures == 0 ? 0 : 1;
