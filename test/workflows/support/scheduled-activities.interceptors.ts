import { proxySinks, type ActivityInput, type Next, type Sinks, type WorkflowInterceptorsFactory, type WorkflowOutboundCallsInterceptor } from '@temporalio/workflow';

/** Tells the test every activity the workflow schedules, with its arguments, replay included. */
export interface ScheduledActivitySinks extends Sinks {
  scheduled: { activity(activityType: string, args: unknown[]): void };
}

const { scheduled } = proxySinks<ScheduledActivitySinks>();

class ScheduledActivities implements WorkflowOutboundCallsInterceptor {
  scheduleActivity(input: ActivityInput, next: Next<WorkflowOutboundCallsInterceptor, 'scheduleActivity'>) {
    scheduled.activity(input.activityType, input.args);
    return next(input);
  }
}

export const interceptors: WorkflowInterceptorsFactory = () => ({ outbound: [new ScheduledActivities()] });
