// What the supervised models share: a stack of layers from flattened images to class probabilities,
// prediction in chunks, and saving to / loading from model files with their shapes checked.
import { NDArray, assertFiniteMatrix, formatShape } from '../ndarray/index.js';
import type { SharedVariable, Variable } from '../graph/variable.js';
import { matrix } from '../graph/constructors.js';
import { fn, type CompiledFunction } from '../compile/index.js';
import { WeightedLayer, type Layer, type Mode } from '../nn/index.js';
import {
  ClassifierTraining, TUTORIAL_EARLY_STOPPING, type EarlyStoppingOptions, type FitDefaults, type LabelledSet,
  type LoopResult,
  type TrainableClassifier, type TrainingOptions, type ValidationRecord,
} from '../fit/index.js';
import { loadModelAs, saveModelFile, setParameters, type ModelFile } from './model-file.js';

/** A layer with units and what its units sum for some input: see Classifier.unitLayers. */
export interface UnitLayer {
  layer: WeightedLayer;
  /** [batch, units] for dense layers and the output, [batch, maps, rows, cols] for conv layers. */
  preActivation: Variable;
}

/** Settings every classifier has: the image size it reads (flattened, row-major) and the class count. */
export interface ClassifierConfig {
  imageShape: [number, number];
  classes: number;
}

export interface ClassifierFitOptions extends Partial<TrainingOptions> {
  /** At most this many epochs. */
  epochs?: number;
  /** A held-out set: with it, the tutorials' early stopping, and the model ends with its best parameters. */
  validation?: LabelledSet;
  /** Patience and the rest; the model's tutorial settings by default. */
  earlyStopping?: Partial<EarlyStoppingOptions>;
  /** Called after each validation (progress lines). */
  onValidation?(record: ValidationRecord): void;
}

export interface ClassifierFitResult extends LoopResult {
  /** Every validation, in order (none without a validation set). */
  history: ValidationRecord[];
}

/** Settings of models that have no tutorial of their own. */
const GENERIC_FIT: FitDefaults = { batchSize: 20, learningRate: 0.01, epochs: 100, patience: 10000 };

const PREDICT_CHUNK = 1000; // rows per call: bounds memory for the conv layers' intermediate maps

/**
 * A classifier of flattened images ([n, rows * cols] float32 in [0, 1]) into `classes` labels.
 * Subclasses build `layers`; `fit` trains them (train/fitClassifier adds a run's files and resuming).
 */
export abstract class Classifier<C extends ClassifierConfig = ClassifierConfig> implements TrainableClassifier {
  /** The model family, as written in model files and named on the command line. */
  abstract readonly kind: string;
  readonly config: C;
  /** Facts saved with the model (training run, pixel scale); filled in by loadClassifier. */
  meta: Record<string, unknown> = {};
  protected abstract readonly layers: readonly Layer[];
  /** What fit uses where its options are silent: the tutorial's settings for the tutorial models. */
  readonly fitDefaults: FitDefaults = GENERIC_FIT;
  private predictFn: CompiledFunction | undefined;

  constructor(config: C) {
    this.config = config;
  }

  get inputSize(): number {
    return this.config.imageShape[0] * this.config.imageShape[1];
  }

  /** Every trainable parameter, layer by layer. */
  get params(): SharedVariable[] {
    return this.layers.flatMap((l) => l.params);
  }

  /** The weights that L1/L2 penalties apply to (not the biases). */
  get weights(): SharedVariable[] {
    return this.layers.flatMap((l) => l.weights);
  }

  /** The first layer's weights, for pictures: [inputs, units] (columns are images) or conv filters [k, c, h, w]. */
  get firstLayerWeights(): NDArray {
    return this.params[0].get();
  }

  /** The symbolic input as the first layer expects it (LeNet reshapes rows into image maps). */
  protected prepare(x: Variable): Variable {
    return x;
  }

  /**
   * Class probabilities [batch, classes] for a symbolic batch of flattened images.
   * @example const p = model.probabilities(nb.matrix('x'), 'train'); const cost = nb.nll(p, y);
   */
  probabilities(x: Variable, mode: Mode): Variable {
    return this.layers.reduce((h, layer) => layer.forward(h, mode), this.prepare(x));
  }

  /**
   * Every layer with units, input side first (hidden layers, conv layers, the output layer last), each
   * with its pre-activation for a symbolic batch of flattened images (the test-mode forward pass).
   * @example const [hidden, output] = mlp.unitLayers(nb.matrix('x')); hidden.preActivation // [batch, 500]
   */
  unitLayers(x: Variable): UnitLayer[] {
    const found: UnitLayer[] = [];
    this.layers.reduce((h, layer) => {
      if (layer instanceof WeightedLayer) found.push({ layer, preActivation: layer.preActivation(h) });
      return layer.forward(h, 'test');
    }, this.prepare(x));
    return found;
  }

  /**
   * Trains on images x (float32 [n, rows * cols]) and labels y (int32 [n]) by minibatch SGD or another
   * update rule. With a validation set: the tutorials' early stopping, ending with the best parameters.
   * @example const result = model.fit(train.x, train.y, { validation: valid, epochs: 50 });
   * result.bestValidError // 0.0815
   */
  fit(x: NDArray, y: NDArray, options: ClassifierFitOptions = {}): ClassifierFitResult {
    const { epochs = this.fitDefaults.epochs, validation, earlyStopping, onValidation, ...training } = options;
    const trainer = new ClassifierTraining(this, { x, y }, { ...this.fitDefaults, ...training });
    const history: ValidationRecord[] = [];
    const result = trainer.run({
      maxEpochs: epochs,
      validate: validation && trainer.errorOn(validation, 'validation').measure,
      earlyStopping: { ...TUTORIAL_EARLY_STOPPING, patience: this.fitDefaults.patience, ...earlyStopping },
      hooks: {
        validation: (record) => {
          history.push(record);
          onValidation?.(record);
        },
      },
    });
    trainer.restoreBest();
    return { ...result, history };
  }

  /**
   * Class probabilities for images [n, rows * cols], computed in chunks.
   * @example model.predictProba(test.x).shape // [10000, 10]
   */
  predictProba(x: NDArray): NDArray {
    if (x.rank !== 2 || x.shape[1] !== this.inputSize || x.dtype !== 'float32') {
      const [rows, cols] = this.config.imageShape;
      throw new Error(`${this.kind}: input is ${x.dtype}${formatShape(x.shape)}, but this model reads float32[n, ${this.inputSize}] (${rows}x${cols} images)`);
    }
    // NaN pixels would give NaN probabilities, and every comparison with NaN would answer class 0.
    assertFiniteMatrix(x, `${this.kind}: the images to classify`);
    if (!this.predictFn) {
      const input = matrix('x');
      this.predictFn = fn([input], this.probabilities(input, 'test'), { name: `${this.kind} predict` });
    }
    const [n, d] = x.shape;
    const out = new NDArray('float32', [n, this.config.classes]);
    for (let start = 0; start < n; start += PREDICT_CHUNK) {
      const end = Math.min(n, start + PREDICT_CHUNK);
      const chunk = new NDArray('float32', [end - start, d], x.data.subarray(start * d, end * d));
      out.data.set((this.predictFn(chunk) as NDArray).data, start * this.config.classes);
    }
    return out;
  }

  /**
   * The most probable class of each image, int32 [n].
   * @example model.predict(test.x)
   */
  predict(x: NDArray): NDArray {
    const p = this.predictProba(x);
    const k = this.config.classes;
    const labels = new NDArray('int32', [p.shape[0]]);
    for (let i = 0; i < p.shape[0]; i++) {
      let best = 0;
      for (let j = 1; j < k; j++) if (p.data[i * k + j] > p.data[i * k + best]) best = j;
      labels.data[i] = best;
    }
    return labels;
  }

  /** The model as a model file: kind, configuration and every parameter by name. */
  toModelFile(meta: Record<string, unknown> = {}): ModelFile {
    const tensors: Record<string, NDArray> = {};
    for (const p of this.params) tensors[p.name!] = p.value;
    return { kind: this.kind, config: { ...this.config } as Record<string, unknown>, tensors, meta };
  }

  /**
   * Saves the model (atomically) for `nabla eval` and `nabla predict`.
   * @example model.save('runs/mlp/model.nbm', { best_valid_error: 0.0169 });
   */
  save(path: string, meta: Record<string, unknown> = {}): void {
    saveModelFile(path, this.toModelFile(meta));
  }

  /**
   * Reads a model file of `kind` back through `build` (a subclass's fromModelFile), with the facts saved with it.
   * @example static load(path: string): Mlp { return Classifier.loadAs(path, 'mlp', Mlp.fromModelFile); }
   */
  protected static loadAs<M extends Classifier>(
    path: string, kind: string, build: (file: ModelFile, path: string) => M,
  ): M {
    return loadModelAs(path, build, kind);
  }

  /** Sets every parameter from `tensors`, after checking that the names and shapes are this architecture's. */
  loadTensors(path: string, tensors: Record<string, NDArray>): this {
    setParameters(path, this.kind, this.params, tensors);
    return this;
  }
}
