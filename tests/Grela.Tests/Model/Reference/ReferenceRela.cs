namespace Grela.Tests.Model.Reference;

/// <summary>
/// Slow, obvious RELA for one head on plain arrays [L][d]: builds the full [L, L] matrices of
/// numerator scores (qr_m . kr_n) and denominator scores (q_m . k_n), then normalises each row.
/// </summary>
public static class ReferenceRela
{
    public const double Eps = 1e-6;

    /// <summary>Official global form: A_m = (sum_n s_mn v_n / L) / (sum_n t_mn / L + eps), all n in the window.</summary>
    public static double[][] Global(double[][] q, double[][] k, double[][] qr, double[][] kr, double[][] v)
    {
        int length = q.Length;
        var (num, den) = Scores(q, k, qr, kr);
        var result = new double[length][];
        for (int m = 0; m < length; m++)
        {
            var z = 0.0;
            for (int n = 0; n < length; n++) z += den[m, n];
            var mean = z / length + Eps;
            result[m] = new double[v[0].Length];
            for (int n = 0; n < length; n++)
                for (int j = 0; j < v[0].Length; j++)
                    result[m][j] += num[m, n] * v[n][j] / length / mean;
        }
        return result;
    }

    /// <summary>
    /// Causal form: A_m = sum_{n&lt;=m, real} s_mn v_n / (sum_{n&lt;=m, real} t_mn + eps * max(1, #real n&lt;=m)).
    /// </summary>
    public static double[][] Causal(double[][] q, double[][] k, double[][] qr, double[][] kr, double[][] v, bool[] real)
    {
        int length = q.Length;
        var (num, den) = Scores(q, k, qr, kr);
        var result = new double[length][];
        for (int m = 0; m < length; m++)
        {
            var z = 0.0;
            var count = 0;
            var acc = new double[v[0].Length];
            for (int n = 0; n <= m; n++)
            {
                if (!real[n]) continue;
                count++;
                z += den[m, n];
                for (int j = 0; j < acc.Length; j++) acc[j] += num[m, n] * v[n][j];
            }
            var denominator = z + Eps * Math.Max(1, count);
            result[m] = acc.Select(a => a / denominator).ToArray();
        }
        return result;
    }

    static (double[,] Num, double[,] Den) Scores(double[][] q, double[][] k, double[][] qr, double[][] kr)
    {
        int length = q.Length;
        var num = new double[length, length];
        var den = new double[length, length];
        for (int m = 0; m < length; m++)
            for (int n = 0; n < length; n++)
            {
                num[m, n] = Dot(qr[m], kr[n]);
                den[m, n] = Dot(q[m], k[n]);
            }
        return (num, den);
    }

    public static double Dot(double[] a, double[] b)
    {
        var s = 0.0;
        for (int i = 0; i < a.Length; i++) s += a[i] * b[i];
        return s;
    }
}
