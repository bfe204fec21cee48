/** The landing page's start-here path: no DOM, so tests read it in Node too. */

/** What a student learns on each page of the chapter, in one line (the "start here" path). */
export const LESSONS: Readonly<Record<string, string>> = {
  activations: 'the shapes of sigmoid, tanh and ReLU, and where each one’s slope goes to zero',
  'logistic-regression': 'one unit draws one straight line: enough for AND and OR, never for XOR',
  'two-layer': 'a hidden layer bends the boundary: each hidden unit draws one line, and XOR needs two',
  dropout: 'switching hidden units off at random while training, and what it does to the error curve',
  bce: 'why a sigmoid output trains with cross entropy: squared error goes flat where the output is confidently wrong',
  'bce-logits': 'computing cross entropy from logits, which stays finite where the textbook formula overflows',
  categorical: 'softmax and categorical cross entropy: one output per class, and they sum to 1',
};
