/** Why a run's push could not start or finish; the message is safe to show an operator. */
export class RunPushError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}
export class RunNotFoundError extends RunPushError {}
/** The run is still enriching: pushing now would push half of it. */
export class RunNotFinishedError extends RunPushError {}
export class OdooNotConnectedError extends RunPushError {}
/** Odoo stayed unreachable; the push stopped and can simply be run again. */
export class OdooPushFailedError extends RunPushError {}
