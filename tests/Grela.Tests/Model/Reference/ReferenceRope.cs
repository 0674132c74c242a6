namespace Grela.Tests.Model.Reference;

/// <summary>Slow, obvious RoPE on one vector: pair (2i, 2i+1) rotated by angle m * base^(-2i/D).</summary>
public static class ReferenceRope
{
    public static double Theta(int i, int dim) => 1.0 / Math.Pow(10000, 2.0 * i / dim);

    public static double[] Rotate(double[] x, int position)
    {
        var y = new double[x.Length];
        for (int i = 0; i < x.Length / 2; i++)
        {
            var angle = position * Theta(i, x.Length);
            double a = x[2 * i], b = x[2 * i + 1];
            y[2 * i] = a * Math.Cos(angle) - b * Math.Sin(angle);
            y[2 * i + 1] = a * Math.Sin(angle) + b * Math.Cos(angle);
        }
        return y;
    }
}
