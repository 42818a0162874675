/** The run file "Create Example Run File" writes: every key of the schema, commented (docs/configs.md). */
export const EXAMPLE_RUN_FILE = `# LIM Lens run file: describe a training run and LIM Lens estimates its energy.
# Hover over any value to see where each number comes from; the line above shows the estimate.
# Every key is optional except a model size: \`model\` (a known model), \`config\` (a config.json or
# training config) or \`params\`. Every key is below, commented.

name: Llama-3-8B pre-training (example)

# The model: a Hub id, torchtune builder or LitGPT name from the bundled table of known shapes,
# or \`config: ./path/to/config.json\`, or \`params: 8B\`.
model: meta-llama/Meta-Llama-3-8B

# Run size: tokens (D), or steps × global_batch_size × sequence_length.
tokens: 15T
sequence_length: 8192

# Precision of the weights being trained: bf16, fp16, fp32, fp8, or a number of bits.
precision: bf16

# Hardware: v100, a100, h100, b200, tpu-v3, tpu-v4 (\`lim-lens hardware\` lists them with their sources).
hardware: h100
devices: 1024
# Either the wall-clock hours or the device-hours make the estimate use time instead of compute.
# hours: 2000
# device_hours: 1300000

utilization: 0.4       # model FLOP utilisation, for the compute-only route
pue: 1.1               # data-centre overhead
grid_kg_per_kwh: 0.385 # kg CO2e per kWh
`;
