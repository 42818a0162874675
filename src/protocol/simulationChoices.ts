/**
 * The choices the simulator offers, as the extension host shows them (the Run Simulation quick picks, the
 * dashboard's device list): ids and labels only, so the host bundle does not carry the simulator. The simulator's
 * own tables are the facts (`RESPONSE_MODELS`, `DEVICE_PRESETS` and `ALGORITHM_KINDS` in `src/core/analog/`, turned
 * into choices by `deviceChoices()` in `src/worker/simulationPlan.ts`); this is a checked-in copy of what they give,
 * and `test/unit/architecture.test.ts` fails, printing the table to paste here, when the two differ.
 */

/** The training algorithms, in the simulator's order (`ALGORITHM_KINDS`). */
export const SIMULATION_ALGORITHMS = ['sgd', 'analog-sgd', 'tiki-taka', 'ttv2', 'c-ttv2'] as const;

export interface DeviceChoice {
  id: string;
  label: string;
  detail: string;
}

const RESPONSE_MODEL_DETAIL = 'response-function device model (Wu et al. 2024): its step shrinks near the ends of its dynamic range τ';

/** The response models, then the technology presets: `deviceChoices()` of the worker, entry for entry. */
export const DEVICE_CHOICES: readonly DeviceChoice[] = [
  { id: 'soft-bounds', label: 'Soft bounds (the paper’s device, range ±τ)', detail: RESPONSE_MODEL_DETAIL },
  { id: 'linear', label: 'Generic linear response', detail: RESPONSE_MODEL_DETAIL },
  { id: 'power', label: 'Power response', detail: RESPONSE_MODEL_DETAIL },
  { id: 'exp', label: 'Exponential response', detail: RESPONSE_MODEL_DETAIL },
  { id: 'paper-soft-bounds', label: "soft bounds ±τ referenced to each element's symmetric point (τ = 0.7) (SoftBoundsReferenceDevice)", detail: 'Wu et al., NeurIPS 2024 (arXiv 2406.12774), Fig. 5 MNIST runs: aihwkit SoftBoundsReferenceDevice(w_max = τ, w_min = −τ, subtract_symmetry_point = True), aihwkit defaults otherwise' },
  { id: 'reram-es', label: 'ReRAM (exponential-step fit) (ReRamESPresetDevice)', detail: 'Gong et al., Nat. Commun. 2018; aihwkit ReRamESPresetDevice' },
  { id: 'reram-sb', label: 'ReRAM (soft-bounds fit, symmetry point assumed calibrated) (ReRamSBPresetDevice)', detail: 'aihwkit ReRamSBPresetDevice (loose soft-bounds fit to ReRAM data)' },
  { id: 'reram-om', label: 'ReRAM array, optimised material (ReRamArrayOMPresetDevice)', detail: 'Gong & Rasch et al., IEDM 2022; aihwkit ReRamArrayOMPresetDevice' },
  { id: 'reram-hfo2', label: 'ReRAM array, baseline HfO2 (ReRamArrayHfO2PresetDevice)', detail: 'Gong & Rasch et al., IEDM 2022; aihwkit ReRamArrayHfO2PresetDevice' },
  { id: 'ecram', label: 'ECRAM (range shifted so the symmetry point is 0) (EcRamPresetDevice)', detail: 'Tang et al., IEDM 2018; aihwkit EcRamPresetDevice' },
  { id: 'ecram-mo', label: 'metal-oxide ECRAM (EcRamMOPresetDevice)', detail: 'Kim et al., IEDM 2019; aihwkit EcRamMOPresetDevice' },
  { id: 'capacitor', label: 'CMOS capacitor (leaky) (CapacitorPresetDevice)', detail: 'Li et al., VLSI 2018; aihwkit CapacitorPresetDevice' },
  { id: 'pcm', label: 'PCM (GST) pair, uni-directional devices (PCMPresetUnitCell)', detail: 'Nandakumar et al., 2020; aihwkit PCMPresetDevice in a OneSidedUnitCell (PCMPresetUnitCell)' },
  { id: 'idealized', label: 'idealised symmetric device (≈ 10,000 states) (IdealizedPresetDevice)', detail: 'aihwkit IdealizedPresetDevice' },
  { id: 'gokmen-vlasov', label: 'RPU specification (1,200 states) (GokmenVlasovPresetDevice)', detail: 'Gokmen & Vlasov, Front. Neurosci. 2016; aihwkit GokmenVlasovPresetDevice' },
];
