namespace Grela.Tests.Model.Reference;

/// <summary>Slow, obvious causal depthwise convolution on [L][D]: y_t[c] = b[c] + sum_j w[c][j] x_{t-K+1+j}[c].</summary>
public static class ReferenceConv
{
    public static double[][] Causal(double[][] x, double[][] weight, double[] bias)
    {
        int length = x.Length, channels = bias.Length, kernel = weight[0].Length;
        var y = new double[length][];
        for (int t = 0; t < length; t++)
        {
            y[t] = new double[channels];
            for (int c = 0; c < channels; c++)
            {
                var s = bias[c];
                for (int j = 0; j < kernel; j++)
                {
                    var source = t - kernel + 1 + j;
                    if (source >= 0) s += weight[c][j] * x[source][c];
                }
                y[t][c] = s;
            }
        }
        return y;
    }
}
