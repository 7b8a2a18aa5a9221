namespace Aver.Tensors.Nn;

/// <summary>
/// nn.Dropout: inverted dropout in training mode, identity in evaluation mode. The masks come
/// from the module's own <see cref="Generator"/>, so a run is reproducible from its seed; a
/// trainer may assign a fork of its dropout stream (e.g. <c>seed.Fork("dropout", epoch)</c>).
/// </summary>
public sealed class Dropout : Module
{
    private static long _created;

    public float P { get; }

    /// <summary>The stream masks are drawn from.</summary>
    public RandomStream Generator { get; set; }

    /// <param name="p">Probability of zeroing an element, in [0, 1].</param>
    /// <param name="rng">The mask stream; when null, the n-th Dropout built in this process takes
    /// <c>Init.Generator.Fork("dropout", n)</c> (deterministic for a fixed construction order,
    /// and it draws nothing from the initialisation stream).</param>
    public Dropout(float p = 0.5f, RandomStream? rng = null)
    {
        if (!(p >= 0f && p <= 1f)) throw new ArgumentOutOfRangeException(nameof(p), p, "Dropout: probability must be in [0, 1]");
        P = p;
        Generator = rng ?? Init.Generator.Fork("dropout", Interlocked.Increment(ref _created));
    }

    public override Tensor Forward(Tensor input) => input.Dropout(P, Generator, Training);
}
