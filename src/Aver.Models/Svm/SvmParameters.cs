namespace Aver.Models.Svm;

/// <summary>LIBSVM's kernels (kernel_type), K(u, v).</summary>
public enum SvmKernel
{
    /// <summary>uᵀv.</summary>
    Linear = 0,

    /// <summary>(γ uᵀv + coef0)^degree: the kernel of AVEF's clip-level SVM (§2.2.4).</summary>
    Polynomial = 1,

    /// <summary>exp(−γ ‖u − v‖²).</summary>
    Rbf = 2,

    /// <summary>tanh(γ uᵀv + coef0).</summary>
    Sigmoid = 3,
}

/// <summary>Hyper-parameters of a C-SVC (LIBSVM's <c>svm-train -s 0</c>), with LIBSVM's defaults.</summary>
/// <param name="Kernel">-t (polynomial here; LIBSVM's default is RBF).</param>
/// <param name="Degree">-d, the polynomial's degree (3).</param>
/// <param name="Gamma">-g; null = 1 / number of features (LIBSVM's default).</param>
/// <param name="Coef0">-r (0).</param>
/// <param name="C">-c, the cost of a margin violation (1).</param>
/// <param name="Eps">-e, the stopping tolerance (0.001).</param>
/// <param name="CacheSizeMb">-m, the kernel cache (100 MB).</param>
/// <param name="Shrinking">-h (on).</param>
/// <param name="Probability">-b 1: fit Platt's pairwise sigmoids so the model gives class probabilities (on).</param>
public sealed record SvmParameters(
    SvmKernel Kernel = SvmKernel.Polynomial, int Degree = 3, double? Gamma = null, double Coef0 = 0, double C = 1,
    double Eps = 1e-3, double CacheSizeMb = 100, bool Shrinking = true, bool Probability = true);
