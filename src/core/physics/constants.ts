/**
 * Physical constants and unit factors. SI values are the exact 2019 definitions where one exists,
 * so every energy the product shows can be traced back to k_B and the inputs alone.
 */

/** Boltzmann constant, exact since the 2019 SI redefinition (J/K). */
export const BOLTZMANN_J_PER_K = 1.380649e-23;

/** Natural log of 2: the Landauer cost of erasing one bit is kT·ln 2. */
export const LN2 = Math.LN2;

/** Room temperature used by the paper's headline projection (K). */
export const ROOM_TEMPERATURE_K = 300;

export const JOULES_PER_WH = 3600;
export const JOULES_PER_KWH = 3.6e6;
export const JOULES_PER_MWH = 3.6e9;
export const JOULES_PER_GWH = 3.6e12;

/** Julian year: the astronomical convention, 365.25 days. */
export const SECONDS_PER_YEAR = 365.25 * 24 * 3600;
export const SECONDS_PER_HOUR = 3600;

/** Thermal energy kT at temperature T (J). */
export function thermalEnergy(temperatureK: number): number {
  return BOLTZMANN_J_PER_K * temperatureK;
}

/** Landauer's minimum cost of erasing one bit at temperature T (J). */
export function landauerPerBit(temperatureK: number): number {
  return BOLTZMANN_J_PER_K * temperatureK * LN2;
}
